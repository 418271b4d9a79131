import { Connection } from '@solana/web3.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import type { Db } from '../db/openDatabase.js';
import type { Logger } from '../logger.js';
import { createJsonRpcClient } from '../tracker/evm/createJsonRpcClient.js';
import { createPriceService, type PriceService } from '../tracker/prices/createPriceService.js';

/** The price service over the configured chains' RPCs and the optional price API. */
export function createPrices(db: Db, config: LookoutConfig, logger: Logger): PriceService {
  return createPriceService({
    db,
    chains: config.chains,
    logger,
    rpcFor: (chain) => createJsonRpcClient({ urls: chain.rpcUrls, logger }),
    solanaConnectionFor: (chain) => new Connection(chain.rpcUrls[0]!, { commitment: 'confirmed', disableRetryOnRateLimit: true }),
    api: config.priceApi,
  });
}

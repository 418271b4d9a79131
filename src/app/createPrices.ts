import { Connection } from '@solana/web3.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import type { Db } from '../db/openDatabase.js';
import type { Logger } from '../logger.js';
import { createJsonRpcClient } from '../tracker/evm/createJsonRpcClient.js';
import { createCoinGeckoSource } from '../tracker/prices/createCoinGeckoSource.js';
import { createDefiLlamaSource } from '../tracker/prices/createDefiLlamaSource.js';
import { createDexScreenerSource } from '../tracker/prices/createDexScreenerSource.js';
import { createPriceService, type PriceService } from '../tracker/prices/createPriceService.js';
import type { PriceSource } from '../tracker/prices/PriceSource.js';

/** The price service over the configured chains' RPCs and the price sources that `PRICE_SOURCES` turns on. */
export function createPrices(db: Db, config: LookoutConfig, logger: Logger, options: { fetch?: typeof fetch } = {}): PriceService {
  const on = new Set(config.prices.sources);
  return createPriceService({
    db,
    chains: config.chains,
    logger,
    rpcFor: (chain) => createJsonRpcClient({ urls: chain.rpcUrls, logger }),
    solanaConnectionFor: (chain) => new Connection(chain.rpcUrls[0]!, { commitment: 'confirmed', disableRetryOnRateLimit: true }),
    onChain: { chainlink: on.has('chainlink'), pyth: on.has('pyth') },
    sources: priceSources(config, options.fetch),
    currentTtlMs: config.prices.refreshMs,
    staleAfterMs: config.prices.staleAfterMs,
  });
}

/** The sources outside the chain that are on, in the order they are asked. */
export function priceSources(config: LookoutConfig, fetchFn?: typeof fetch): PriceSource[] {
  const sources: PriceSource[] = [];
  for (const name of config.prices.sources) {
    if (name === 'defillama') sources.push(createDefiLlamaSource({ url: config.prices.defillamaUrl, fetch: fetchFn }));
    // Note: the configuration refuses coingecko or dexscreener in PRICE_SOURCES without their API configured.
    if (name === 'coingecko' && config.priceApi?.kind === 'coingecko') sources.push(createCoinGeckoSource({ api: config.priceApi, fetch: fetchFn }));
    if (name === 'dexscreener' && config.priceApi?.kind === 'dexscreener') sources.push(createDexScreenerSource({ api: config.priceApi, fetch: fetchFn }));
  }
  return sources;
}

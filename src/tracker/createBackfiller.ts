import type { LookoutConfig } from '../config/loadConfig.js';
import type { Db } from '../db/openDatabase.js';
import type { Logger } from '../logger.js';
import { backfillEvmWallet, type BackfillRange } from './evm/backfillEvmWallet.js';
import { createJsonRpcClient } from './evm/createJsonRpcClient.js';
import type { PriceService } from './prices/createPriceService.js';

export type BackfillRequest = { address: string; chains: string[]; range: BackfillRange };
/** Reads a newly tracked wallet's history; answers with a sentence for the person who asked. */
export type Backfiller = (request: BackfillRequest) => Promise<string>;

/**
 * Backfills on each EVM chain of the request. In the background (inside `lookout run`) it answers at once
 * and never holds up the followers; in the foreground (a one-off command) it answers when done.
 */
export function createBackfiller(deps: {
  db: Db;
  config: LookoutConfig;
  logger: Logger;
  background: boolean;
  prices?: PriceService;
}): Backfiller {
  const log = deps.logger.child({ component: 'backfill' });
  const runAll = async (request: BackfillRequest) => {
    let stored = 0;
    for (const name of request.chains) {
      const chain = deps.config.chains.find((candidate) => candidate.name === name);
      if (!chain || chain.kind !== 'evm') continue;
      const rpc = createJsonRpcClient({ urls: chain.rpcUrls, logger: log });
      stored += (await backfillEvmWallet({ chain, db: deps.db, rpc, logger: log, prices: deps.prices }, request.address, request.range)).stored;
    }
    return stored;
  };
  return async (request) => {
    const evmChains = request.chains.filter((name) => deps.config.chains.find((c) => c.name === name)?.kind === 'evm');
    if (evmChains.length === 0) return 'History is read on EVM chains only; this wallet is followed from now on.';
    if (deps.background) {
      void runAll(request).catch((error: unknown) =>
        log.warn({ wallet: request.address, err: error instanceof Error ? error.message : String(error) }, 'backfill failed'),
      );
      return `Reading its history on ${evmChains.join(', ')} in the background; past trades appear in trades, without alerts.`;
    }
    try {
      const stored = await runAll(request);
      return `Read its history on ${evmChains.join(', ')}: ${stored} past trade${stored === 1 ? '' : 's'} stored, without alerts.`;
    } catch (error) {
      log.warn({ wallet: request.address, err: error instanceof Error ? error.message : String(error) }, 'backfill failed');
      return 'Its history could not be read now (the RPC did not answer); the wallet is followed from now on.';
    }
  };
}

import type { LookoutConfig } from '../config/loadConfig.js';
import { createChainStore } from '../db/chainStore.js';
import type { Db } from '../db/openDatabase.js';
import { storeChainRecords } from '../db/storeChainRecords.js';
import type { Logger } from '../logger.js';
import type { BackfillRange, ChainDriver } from './ChainDriver.js';
import { createDriver, kindOf } from './chainKinds.js';
import type { PriceService } from './prices/createPriceService.js';

export type BackfillRequest = { address: string; chains: string[]; range: BackfillRange };
/** Reads a newly tracked wallet's history; answers with a sentence for the person who asked. */
export type Backfiller = (request: BackfillRequest) => Promise<string>;

/**
 * Backfills on each chain of the request whose driver can read history (EVM and Solana). In the background (inside
 * `lookout run`) it answers at once and never holds up the followers; in the foreground (a one-off command) it
 * answers when done. History is stored without alerts and moves no cursor.
 */
export function createBackfiller(deps: {
  db: Db;
  config: LookoutConfig;
  logger: Logger;
  background: boolean;
  prices?: PriceService;
}): Backfiller {
  const log = deps.logger.child({ component: 'backfill' });
  const store = createChainStore(deps.db);
  const drivers = new Map<string, Promise<ChainDriver>>();
  const driverOf = (name: string): Promise<ChainDriver> | undefined => {
    const chain = deps.config.chains.find((candidate) => candidate.name === name);
    if (!chain) return undefined;
    if (!drivers.has(name)) drivers.set(name, createDriver(chain, { store, logger: log, prices: deps.prices }));
    return drivers.get(name);
  };
  const readable = (request: BackfillRequest) =>
    request.chains.filter((name) => {
      const chain = deps.config.chains.find((candidate) => candidate.name === name);
      return chain !== undefined && kindOf(chain).canBackfill;
    });

  const runAll = async (request: BackfillRequest, chains: string[]) => {
    let stored = 0;
    for (const name of chains) {
      const result = await (await driverOf(name))!.backfill!(request.address, request.range);
      const saved = await storeChainRecords(deps.db, {
        chain: name,
        records: result.records,
        blocks: [],
        cursor: null,
        keepBlocks: 0,
        route: null,
        skipped: result.skipped,
      });
      log.info(
        { chain: name, wallet: request.address, from_block: result.fromBlock.toString(), to_block: result.toBlock.toString(), trades: saved.length, skipped: result.skipped.length },
        'backfill done',
      );
      stored += saved.length;
    }
    return stored;
  };
  return async (request) => {
    const chains = readable(request);
    if (chains.length === 0) return 'History cannot be read on these chains; this wallet is followed from now on.';
    if (deps.background) {
      void runAll(request, chains).catch((error: unknown) => log.warn({ wallet: request.address, err: error }, 'backfill failed'));
      return `Reading its history on ${chains.join(', ')} in the background; past trades appear in trades, without alerts.`;
    }
    try {
      const stored = await runAll(request, chains);
      return `Read its history on ${chains.join(', ')}: ${stored} past trade${stored === 1 ? '' : 's'} stored, without alerts.`;
    } catch (error) {
      log.warn({ wallet: request.address, err: error }, 'backfill failed');
      return 'Its history could not be read now (the RPC did not answer); the wallet is followed from now on.';
    }
  };
}

import { Registry } from 'prom-client';
import type { EvmChainConfig } from '../../config/chainPresets.js';
import { createChainStore } from '../../db/chainStore.js';
import { loadChainCursor } from '../../db/chainCursorQueries.js';
import type { Db } from '../../db/openDatabase.js';
import type { StoredTrade } from '../../db/storeChainRecords.js';
import type { EventBus } from '../../events/eventBus.js';
import type { Logger } from '../../logger.js';
import { createTrackerPipeline } from '../pipeline/createTrackerPipeline.js';
import type { PriceService } from '../prices/createPriceService.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import { createEvmDriver } from './createEvmDriver.js';

export type EvmFollower = {
  readonly chain: EvmChainConfig;
  readonly rpc: JsonRpcClient;
  /** Processes every block from the stored cursor to the current head once. */
  syncToHead(): Promise<SyncResult>;
  /** Follows the head until stopped: polling at the block time, woken early by `newHeads` when a WebSocket is set. */
  start(): void;
  stop(): Promise<void>;
};

export type SyncResult = { from: bigint; to: bigint; stored: StoredTrade[]; reorgs: number; skipped: number };

export type EvmFollowerOptions = {
  chain: EvmChainConfig;
  db: Db;
  logger: Logger;
  events: EventBus;
  rpc?: JsonRpcClient;
  /** Blocks per range (default: the chain's `maxBlockRange`). */
  maxRange?: number;
  /** Where to start when the chain has no cursor yet; default: the current head. */
  startBlock?: bigint;
  prices?: PriceService;
  /** How often the block being built is read without a `newFlashblocks` WebSocket (default 200 ms). */
  preconfirmationMs?: number;
};

/**
 * One EVM chain on its own: its driver and a tracker pipeline of that one driver, over the database. `lookout run`
 * builds one pipeline for every chain instead; this shape serves tests and benchmarks that drive one chain.
 */
export function createEvmFollower(options: EvmFollowerOptions): EvmFollower {
  const { chain, db, logger, events } = options;
  const driver = createEvmDriver({
    chain,
    store: createChainStore(db),
    logger,
    rpc: options.rpc,
    maxRange: options.maxRange,
    startBlock: options.startBlock,
    prices: options.prices,
    preconfirmationMs: options.preconfirmationMs,
  });
  const pipeline = createTrackerPipeline({ db, logger, events, metrics: new Registry() }, [driver]);
  return {
    chain,
    rpc: driver.rpc,
    async syncToHead() {
      const before = await loadChainCursor(db, chain.name);
      const summary = await pipeline.syncOnce(chain.name);
      const to = (summary.cursor ?? before)?.number ?? 0n;
      return { from: (before?.number ?? to) + 1n, to, stored: summary.stored, reorgs: summary.reorgs, skipped: summary.skipped };
    },
    start: () => pipeline.start(),
    stop: () => pipeline.stop(),
  };
}

import type { Connection } from '@solana/web3.js';
import { Registry } from 'prom-client';
import type { SolanaChainConfig } from '../../config/chainPresets.js';
import { createChainStore } from '../../db/chainStore.js';
import type { Db } from '../../db/openDatabase.js';
import type { StoredTrade } from '../../db/storeChainRecords.js';
import type { EventBus } from '../../events/eventBus.js';
import type { Logger } from '../../logger.js';
import { createTrackerPipeline } from '../pipeline/createTrackerPipeline.js';
import type { PriceService } from '../prices/createPriceService.js';
import { createSolanaDriver } from './createSolanaDriver.js';

export type SolanaFollower = {
  readonly chain: SolanaChainConfig;
  /** Reads every followed address and its token accounts once, from their cursors, and stores what is new. */
  syncOnce(): Promise<{ stored: StoredTrade[]; skipped: number }>;
  /** Follows until stopped: polling at `pollMs`, woken early by `logsSubscribe` when the chain has a wsUrl. */
  start(): void;
  stop(): Promise<void>;
};

export type SolanaFollowerOptions = {
  chain: SolanaChainConfig;
  db: Db;
  logger: Logger;
  events: EventBus;
  connection?: Connection;
  concurrency?: number;
  pollMs?: number;
  tokenAccountPollMs?: number;
  prices?: PriceService;
};

/**
 * One Solana cluster on its own: its driver and a tracker pipeline of that one driver, over the database.
 * `lookout run` builds one pipeline for every chain instead; this shape serves tests that drive one chain.
 */
export function createSolanaFollower(options: SolanaFollowerOptions): SolanaFollower {
  const { chain, db, logger, events } = options;
  const driver = createSolanaDriver({
    chain,
    store: createChainStore(db),
    logger,
    connection: options.connection,
    concurrency: options.concurrency,
    pollMs: options.pollMs,
    tokenAccountPollMs: options.tokenAccountPollMs,
    prices: options.prices,
    walletsChanged: (listener) => events.on('wallets_changed', (event) => event.chains.includes(chain.name) && listener()),
  });
  const pipeline = createTrackerPipeline({ db, logger, events, metrics: new Registry() }, [driver]);
  return {
    chain,
    syncOnce: async () => {
      const summary = await pipeline.syncOnce(chain.name);
      return { stored: summary.stored, skipped: summary.skipped };
    },
    start: () => pipeline.start(),
    stop: () => pipeline.stop(),
  };
}

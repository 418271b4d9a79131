import type { Common } from '../../app/common.js';
import { LeaseLost, type Fence, type Leases } from '../../app/leases.js';
import { loadChainCursor } from '../../db/chainCursorQueries.js';
import { revertChain } from '../../db/revertChain.js';
import { storeChainRecords, type SettledPreconfirmations, type StoredTrade } from '../../db/storeChainRecords.js';
import { backoffDelay } from '../backoff.js';
import type { ChainCursor, ChainDriver, FollowEvent } from '../ChainDriver.js';
import { decideSignal } from '../multiWalletSignal.js';
import { routeAlert } from '../routeAlert.js';
import { createTrackerMetrics } from './trackerMetrics.js';
import { abortableSleep } from '../abortableSleep.js';

/** What one pass of a chain did: trades stored, reorgs undone, transactions skipped, and where the chain stands. */
export type SyncSummary = { stored: StoredTrade[]; reorgs: number; skipped: number; cursor: ChainCursor | null };

export type TrackerPipeline = {
  /** Follows every chain until stopped. */
  start(): void;
  /** Stops following, waits for the events in hand to be stored, and closes the drivers. */
  stop(): Promise<void>;
  /** One pass of one chain from its stored cursor to its head; a failure is thrown. */
  syncOnce(chain: string): Promise<SyncSummary>;
};

/**
 * The one tracker pipeline of every chain: consumes each driver's events, stores records with their cursor in
 * one transaction (routing alerts with routeAlert), undoes reorgs, keeps what could not be decoded, and
 * announces `trade_recorded`, `trade_reverted` and `outbox_ready` once. A storage failure restarts the chain's
 * follow from the stored cursor, with backoff: nothing is lost, nothing stored twice.
 */
export function createTrackerPipeline(
  common: Pick<Common, 'db' | 'logger' | 'events' | 'metrics'>,
  drivers: readonly ChainDriver[],
  /** With several instances on one Postgres: each chain is followed only while this instance holds its lease. */
  leases?: Leases,
): TrackerPipeline {
  const { db, events } = common;
  const logger = common.logger.child({ component: 'tracker' });
  const tracked = createTrackerMetrics(common.metrics, events);
  const byName = new Map(drivers.map((driver) => [driver.chain.name, driver]));
  let controller: AbortController | undefined;
  let running: Promise<void>[] = [];

  async function handle(driver: ChainDriver, event: FollowEvent, summary: SyncSummary, fence?: Fence): Promise<void> {
    const chain = driver.chain.name;
    switch (event.type) {
      case 'preconfirmed': {
        const stored = await storeChainRecords(db, {
          chain,
          records: event.records,
          blocks: [],
          cursor: null,
          keepBlocks: 0,
          route: routeAlert,
          signal: decideSignal,
          preconfirmed: true,
          fence,
        });
        if (stored.length > 0) logger.debug({ chain, block: event.block.toString(), trades: stored.length }, 'preconfirmed trades stored');
        announce(stored);
        summary.stored.push(...stored);
        return;
      }
      case 'records': {
        let settled: SettledPreconfirmations | undefined;
        const stored = await storeChainRecords(db, {
          chain,
          records: event.records,
          blocks: event.blocks ?? [],
          cursor: event.cursor,
          keepBlocks: event.keepBlocks ?? 1,
          addressCursors: event.addressCursors,
          skipped: event.skipped,
          route: routeAlert,
          signal: decideSignal,
          fence,
          // Note: told inside the write; announced once it is committed.
          onSettled: (outcome) => (settled = outcome),
        });
        if (settled) announceSettled(chain, event.cursor.number, settled);
        for (const skip of event.skipped ?? []) {
          logger.warn({ chain, tx: skip.txHash, block: skip.blockNumber.toString(), reason: skip.reason }, 'transaction cannot be decoded; skipped');
        }
        if (event.skipped?.length) tracked.metrics.decodeSkipped(chain, event.skipped.length);
        if (event.head !== undefined) tracked.metrics.headLag(chain, event.head - event.cursor.number);
        announce(stored);
        summary.stored.push(...stored);
        summary.skipped += event.skipped?.length ?? 0;
        summary.cursor = event.cursor;
        return;
      }
      case 'reorg': {
        const undone = await revertChain(db, chain, event.ancestor, fence);
        logger.warn(
          {
            chain,
            from_block: event.from.number.toString(),
            ancestor: event.ancestor.number.toString(),
            trades: undone.revertedTrades.length,
            corrections: undone.corrections,
          },
          'reorg: undid orphaned blocks',
        );
        for (const trade of undone.revertedTrades) {
          events.emit({ type: 'trade_reverted', chain, tradeId: trade.id, txHash: trade.txHash, wallet: trade.wallet });
        }
        if (undone.corrections > 0) events.emit({ type: 'outbox_ready' });
        summary.reorgs++;
        summary.cursor = event.ancestor;
        return;
      }
      default:
        return assertNever(event);
    }
  }

  function announceSettled(chain: string, block: bigint, settled: SettledPreconfirmations): void {
    logger.info(
      { chain, block: block.toString(), confirmed: settled.confirmed.length, retracted: settled.retracted.length, corrections: settled.corrections },
      'sealed blocks settled preconfirmed trades',
    );
    for (const trade of settled.retracted) events.emit({ type: 'trade_reverted', chain, tradeId: trade.id, txHash: trade.txHash, wallet: trade.wallet });
    if (settled.corrections > 0) events.emit({ type: 'outbox_ready' });
  }

  function announce(stored: StoredTrade[]): void {
    for (const trade of stored) {
      events.emit({ type: 'trade_recorded', chain: trade.chain, tradeId: trade.id, txHash: trade.txHash, wallet: trade.wallet, kind: trade.kind });
    }
    if (stored.some((trade) => trade.alerts > 0)) events.emit({ type: 'outbox_ready' });
  }

  async function follow(driver: ChainDriver, signal: AbortSignal, fence?: Fence): Promise<void> {
    const log = logger.child({ chain: driver.chain.name });
    for (let failures = 0; !signal.aborted; ) {
      try {
        const summary = emptySummary();
        for await (const event of driver.follow(await loadChainCursor(db, driver.chain.name), signal)) {
          await handle(driver, event, summary, fence);
          failures = 0;
        }
        return;
      } catch (error) {
        if (signal.aborted) return;
        // Note: another instance follows the chain now; what this one read is left to it.
        if (error instanceof LeaseLost) throw error;
        if (failures === 0) log.warn({ err: error }, 'storing what the chain gave failed; following again from the stored cursor');
        failures++;
        await abortableSleep(backoffDelay(failures, 1_000, 60_000), signal);
      }
    }
  }

  return {
    start() {
      if (controller) return;
      controller = new AbortController();
      const signal = controller.signal;
      running = drivers.map((driver) =>
        leases ? leases.hold(`chain:${driver.chain.name}`, (fence, held) => follow(driver, held, fence), signal) : follow(driver, signal),
      );
    },
    async stop() {
      controller?.abort();
      await Promise.all(running);
      running = [];
      controller = undefined;
      tracked.stop();
      await Promise.all(drivers.map((driver) => driver.close()));
    },
    async syncOnce(chain) {
      const driver = byName.get(chain);
      if (!driver) throw new Error(`No driver follows the chain ${chain}.`);
      const summary = emptySummary();
      for await (const event of driver.syncOnce(await loadChainCursor(db, chain))) await handle(driver, event, summary);
      return summary;
    },
  };
}

function emptySummary(): SyncSummary {
  return { stored: [], reorgs: 0, skipped: 0, cursor: null };
}

function assertNever(event: never): never {
  throw new Error(`Unknown chain event: ${JSON.stringify(event)}`);
}

import type { LookoutConfig } from '../../config/loadConfig.js';
import {
  claimDueAlerts,
  loadAlertTrades,
  markPaused,
  markRetry,
  markSent,
  requeueInterrupted,
  type OutboxRow,
  type OutboxScope,
} from '../../db/alertQueries.js';
import type { Db } from '../../db/openDatabase.js';
import type { EventBus } from '../../events/eventBus.js';
import type { Logger } from '../../logger.js';
import { backoffDelay } from '../../tracker/backoff.js';
import { alertView, type AlertView } from '../alerts/alertView.js';

/** What a platform did with one alert. */
export type DeliveryResult =
  | { status: 'sent' }
  | { status: 'retry'; afterMs?: number; error: string; /** Pacing, not a fault: nothing to log. */ quiet?: boolean }
  | { status: 'paused'; reason: string };

export type Deliver = (alert: AlertView, row: OutboxRow) => Promise<DeliveryResult>;

/**
 * Delivers every due alert of one destination at once, so a platform can pace them or fold a burst into a
 * summary; answers one result per row id.
 */
export type DeliverGroup = (destination: string, items: { alert: AlertView; row: OutboxRow }[]) => Promise<Map<number, DeliveryResult>>;

export type OutboxWorker = { start(): void; stop(): Promise<void>; /** Delivers what is due now; for tests. */ drain(): Promise<number> };

/**
 * Delivers the alerts of one platform from the Postgres outbox, oldest first: a row is marked sent as
 * soon as the platform confirms it, retried with backoff on a passing fault, and paused for a
 * destination that refuses us for good.
 */
export function createOutboxWorker(deps: {
  db: Db;
  config: LookoutConfig;
  logger: Logger;
  events: EventBus;
  /** The alerts this worker serves: destinations `console`, `telegram:`, `discord:`, maybe of one workspace. */
  scope: OutboxScope;
  deliver?: Deliver;
  deliverGroup?: DeliverGroup;
  pollMs?: number;
  batchSize?: number;
}): OutboxWorker {
  const { db, scope } = deps;
  const deliverGroup = deps.deliverGroup ?? oneByOne(deps.deliver);
  const log = deps.logger.child({ component: 'outbox', destination: scope.prefix });
  const pollMs = deps.pollMs ?? 1_000;
  let stopped = false;
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;

  async function drain(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const rows = await claimDueAlerts(db, scope, deps.batchSize ?? 20);
      if (rows.length === 0) return delivered;
      const trades = await loadAlertTrades(db, rows);
      const items: { alert: AlertView; row: OutboxRow }[] = [];
      for (const row of rows) {
        const trade = trades.get(`${row.tradeId}|${row.workspaceId}`);
        if (stopped || !trade) {
          await markRetry(db, row.id, new Date(Date.now() + (trade ? 0 : 60_000)), trade ? 'stopped before delivery' : 'trade not found');
          continue;
        }
        const chain = deps.config.chains.find((candidate) => candidate.name === trade.chain);
        items.push({ alert: alertView(trade, row.kind === 'correction' ? 'correction' : 'trade', chain), row });
      }
      const byDestination = new Map<string, typeof items>();
      for (const item of items) byDestination.set(item.row.destination, [...(byDestination.get(item.row.destination) ?? []), item]);
      for (const [destination, group] of byDestination) {
        const results = await deliverAll(destination, group);
        for (const { row } of group) {
          const result = results.get(row.id) ?? { status: 'retry', error: 'no result from the platform' };
          if (result.status === 'sent') {
            await markSent(db, [row.id]);
            delivered++;
          } else if (result.status === 'paused') {
            log.warn({ destination: row.destination, reason: result.reason }, 'destination refuses alerts; pausing it');
            await markPaused(db, row.destination, result.reason);
          } else {
            const delay = result.afterMs ?? backoffDelay(row.attempts, 1_000, 15 * 60_000);
            if (!result.quiet) {
              log.warn({ destination: row.destination, attempt: row.attempts, retry_ms: delay, err: result.error }, 'alert delivery failed; will retry');
            }
            await markRetry(db, row.id, new Date(Date.now() + delay), result.error);
          }
        }
      }
    }
  }

  async function deliverAll(destination: string, group: { alert: AlertView; row: OutboxRow }[]): Promise<Map<number, DeliveryResult>> {
    const failed = (error: unknown): DeliveryResult => ({ status: 'retry', error: error instanceof Error ? error.message : String(error) });
    return deliverGroup(destination, group).catch((error: unknown) => new Map(group.map(({ row }) => [row.id, failed(error)])));
  }

  async function loop(): Promise<void> {
    const requeued = await requeueInterrupted(db, scope);
    if (requeued > 0) log.info({ alerts: requeued }, 'requeued alerts interrupted by a restart');
    while (!stopped) {
      try {
        await drain();
      } catch (error) {
        log.error({ err: error instanceof Error ? error.message : String(error) }, 'outbox delivery failed');
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pollMs);
      });
    }
  }

  return {
    drain,
    start() {
      if (running) return;
      unsubscribe = deps.events.on('outbox_ready', () => wake?.());
      running = loop();
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}

/** Delivers a destination's alerts one at a time, for platforms that need no pacing of their own. */
function oneByOne(deliver: Deliver | undefined): DeliverGroup {
  if (!deliver) throw new Error('an outbox worker needs deliver or deliverGroup');
  return async (_destination, items) => {
    const results = new Map<number, DeliveryResult>();
    for (const { alert, row } of items) {
      results.set(
        row.id,
        await deliver(alert, row).catch((error: unknown): DeliveryResult => ({ status: 'retry', error: error instanceof Error ? error.message : String(error) })),
      );
    }
    return results;
  };
}

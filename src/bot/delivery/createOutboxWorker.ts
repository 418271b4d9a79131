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
  | { status: 'retry'; afterMs?: number; error: string }
  | { status: 'paused'; reason: string };

export type Deliver = (alert: AlertView, row: OutboxRow) => Promise<DeliveryResult>;

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
  deliver: Deliver;
  pollMs?: number;
  batchSize?: number;
}): OutboxWorker {
  const { db, scope } = deps;
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
      for (const row of rows) {
        if (stopped) {
          await markRetry(db, row.id, new Date(), 'stopped before delivery');
          continue;
        }
        const trade = trades.get(`${row.tradeId}|${row.workspaceId}`);
        if (!trade) {
          await markRetry(db, row.id, new Date(Date.now() + 60_000), 'trade not found');
          continue;
        }
        const chain = deps.config.chains.find((candidate) => candidate.name === trade.chain);
        const result = await deps.deliver(alertView(trade, row.kind === 'correction' ? 'correction' : 'trade', chain), row).catch(
          (error: unknown): DeliveryResult => ({ status: 'retry', error: error instanceof Error ? error.message : String(error) }),
        );
        if (result.status === 'sent') {
          await markSent(db, [row.id]);
          delivered++;
        } else if (result.status === 'paused') {
          log.warn({ destination: row.destination, reason: result.reason }, 'destination refuses alerts; pausing it');
          await markPaused(db, row.destination, result.reason);
        } else {
          const delay = result.afterMs ?? backoffDelay(row.attempts, 1_000, 15 * 60_000);
          log.warn({ destination: row.destination, attempt: row.attempts, retry_ms: delay, err: result.error }, 'alert delivery failed; will retry');
          await markRetry(db, row.id, new Date(Date.now() + delay), result.error);
        }
      }
    }
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

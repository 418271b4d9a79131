import { Counter, Histogram, type Registry } from 'prom-client';
import type { LookoutConfig } from '../../config/loadConfig.js';
import {
  claimDueAlerts,
  extendClaims,
  loadAlertTrades,
  markAttempted,
  markRetry,
  markSent,
  releaseUnattempted,
  requeueInterrupted,
  type OutboxClaim,
  type OutboxRow,
  type OutboxScope,
} from '../../db/alertQueries.js';
import type { Db } from '../../db/openDatabase.js';
import { cancelSignalRows, isSignalWithdrawal, loadSignals } from '../../db/signalQueries.js';
import { pauseDestination } from '../../db/pauseQueries.js';
import type { EventBus } from '../../events/eventBus.js';
import type { Logger } from '../../logger.js';
import { backoffDelay } from '../../tracker/backoff.js';
import { alertContextKey, alertContexts, type AlertContext } from '../../usecases/alertContext.js';
import { alertView, type AlertView } from '../alerts/alertView.js';
import { signalView } from '../alerts/signalView.js';

/** What a platform did with one message (one alert, or a summary carrying several). */
export type DeliveryResult =
  | { status: 'sent'; /** The platform's id of the message, when it gives one. */ messageId?: string }
  /** A passing fault: `error` is stored with the alert, `cause` (the platform's error) is logged. */
  | { status: 'retry'; afterMs?: number; error: string; cause?: unknown }
  /** Not sent, by the platform's own pacing: nothing was attempted, nothing to log. */
  | { status: 'later'; afterMs: number }
  | { status: 'paused'; reason: string };

export type Deliver = (alert: AlertView, row: OutboxRow) => Promise<DeliveryResult>;

/**
 * How a platform reports each message as it goes, so that the worker records it before the next one is sent.
 * `attempting` answers false when the worker is stopping, or when this process no longer holds the claim on the rows
 * (it was paused past its lease and another instance may have taken them over): the message must not be sent.
 */
export type DeliveryReport = {
  attempting(rows: OutboxRow[]): Promise<boolean>;
  settled(rows: OutboxRow[], result: DeliveryResult): Promise<void>;
};

/**
 * Delivers the due alerts of one destination, so that a platform can pace them or fold a burst into a
 * summary; each message is reported through `report`. Rows it never settles go back to the queue untouched.
 */
export type DeliverGroup = (destination: string, items: { alert: AlertView; row: OutboxRow }[], report: DeliveryReport) => Promise<void>;

export type OutboxWorker = { start(): void; stop(): Promise<void>; /** Delivers what is due now; for tests. */ drain(): Promise<number> };

/**
 * Delivers the alerts of one platform from the Postgres outbox, oldest first. Each message is recorded as
 * attempted before it goes out and marked sent in its own commit as soon as the platform confirms it, so a
 * crash repeats at most the one message in flight; a passing fault is retried with backoff, and a destination
 * that refuses us for good is paused.
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
  /** Where `lookout_alerts_delivered_total{sink}` and `lookout_alert_delivery_seconds{sink}` are kept, when given. */
  metrics?: Registry;
  /**
   * How this instance claims alerts when several share one Postgres: claims are renewed while delivering, and the
   * expired claims of instances that died are taken over. Without it, every `sending` row found at start is this
   * process's own, left by a crash.
   */
  claim?: OutboxClaim;
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
  const delivery = deps.metrics && createDeliveryMetrics(deps.metrics, scope.prefix.replace(/:$/, ''));
  /** The block time of each claimed alert, for the delivery delay. */
  const blockTimes = new Map<number, Date | null>();

  async function drain(): Promise<number> {
    let delivered = 0;
    while (!stopped) {
      const rows = await claimDueAlerts(db, scope, deps.batchSize ?? 20, new Date(), deps.claim);
      if (rows.length === 0) return delivered;
      const trades = await loadAlertTrades(db, rows);
      const found = rows.flatMap((row) => {
        const trade = trades.get(`${row.tradeId}|${row.workspaceId}`);
        return trade ? [{ row, trade }] : [];
      });
      const contexts = await alertContexts(
        deps,
        found.filter(({ row }) => row.kind === 'alert').map(({ row, trade }) => ({ trade, workspaceId: row.workspaceId })),
      ).catch((error: unknown) => {
        // Note: the position is extra; an alert never waits on it.
        log.warn({ err: error }, 'could not read the positions behind alerts; sending them without');
        return new Map<string, AlertContext>();
      });
      const signals = await loadSignals(db, rows.flatMap((row) => (row.signalId !== null ? [row.signalId] : [])));
      const items: { alert: AlertView; row: OutboxRow }[] = [];
      for (const row of rows) {
        const trade = trades.get(`${row.tradeId}|${row.workspaceId}`);
        const signal = row.signalId === null ? undefined : signals.get(row.signalId);
        if (!trade || (row.signalId !== null && !signal)) {
          await markRetry(db, [row.id], new Date(Date.now() + 60_000), trade ? 'signal not found' : 'trade not found', deps.claim);
          continue;
        }
        if (row.kind === 'signal' && trade.revertedAt !== null) {
          // Note: the signal's own buy is gone; once delivered, a signal stays sent, but one still queued is dropped.
          await cancelSignalRows(db, [row.id]);
          continue;
        }
        if (row.kind !== 'correction') blockTimes.set(row.id, trade.blockTime);
        const chain = deps.config.chains.find((candidate) => candidate.name === trade.chain);
        const type = row.kind === 'alert' ? 'trade' : row.kind;
        const alert = alertView(trade, type, chain, contexts.get(alertContextKey(trade.id, row.workspaceId)));
        // Note: a correction that carries a signal withdraws it (withdrawSignals).
        const withdrawn = row.kind === 'correction' && isSignalWithdrawal(row.payload) ? row.payload.withdrawn : undefined;
        items.push({ alert: signal ? { ...alert, signal: { ...signalView(signal, trade, chain), ...(withdrawn ? { withdrawn } : {}) } } : alert, row });
      }
      const byDestination = new Map<string, typeof items>();
      for (const item of items) byDestination.set(item.row.destination, [...(byDestination.get(item.row.destination) ?? []), item]);
      const settledIds = new Set<number>();
      const report: DeliveryReport = {
        async attempting(attempted) {
          if (stopped) return false;
          const ids = attempted.map((row) => row.id);
          const marked = await markAttempted(db, ids, new Date(), deps.claim);
          if (marked.length === ids.length) return true;
          // Note: a claim ran short (this process was paused, or the database slow): rows still held go back to the queue untouched.
          log.warn({ alerts: ids.length - marked.length }, 'claims on alerts ran out before their send; leaving them to whoever holds them now');
          return false;
        },
        async settled(settledRows, result) {
          for (const row of settledRows) settledIds.add(row.id);
          if (result.status === 'sent') delivered += settledRows.length;
          await record(settledRows, result);
        },
      };
      for (const [destination, group] of byDestination) {
        if (stopped) break;
        await deliverGroup(destination, group, report).catch(async (error: unknown) => {
          const unsettled = group.map(({ row }) => row).filter((row) => !settledIds.has(row.id));
          await report.settled(unsettled, retryAfter(error));
        });
      }
      for (const { row } of items) blockTimes.delete(row.id);
      const untouched = items.map(({ row }) => row.id).filter((id) => !settledIds.has(id));
      await releaseUnattempted(db, untouched, undefined, deps.claim);
      // Note: a platform that settled nothing would get the same rows back at once; wait for the next poll.
      if (settledIds.size === 0) return delivered;
    }
    return delivered;
  }

  /** Commits what the platform answered for one message, before the next message is sent. */
  async function record(rows: OutboxRow[], result: DeliveryResult): Promise<void> {
    const ids = rows.map((row) => row.id);
    if (ids.length === 0) return;
    switch (result.status) {
      case 'sent':
        await markSent(db, ids, result.messageId ?? null, new Date(), deps.claim);
        delivery?.delivered(rows.map((row) => blockTimes.get(row.id) ?? null));
        return;
      case 'later':
        await releaseUnattempted(db, ids, new Date(Date.now() + result.afterMs), deps.claim);
        return;
      case 'paused':
        log.warn({ destination: rows[0]!.destination, reason: result.reason }, 'destination refuses alerts; pausing it');
        await pauseDestination(db, rows[0]!.destination, result.reason);
        return;
      case 'retry': {
        const attempts = Math.max(...rows.map((row) => row.attempts));
        const delay = result.afterMs ?? backoffDelay(attempts, 1_000, 15 * 60_000);
        log.warn(
          { destination: rows[0]!.destination, alerts: ids.length, attempt: attempts, retry_ms: delay, reason: result.error, ...(result.cause === undefined ? {} : { err: result.cause }) },
          'alert delivery failed; will retry',
        );
        await markRetry(db, ids, new Date(Date.now() + delay), result.error, deps.claim);
        return;
      }
    }
  }

  /** Takes back alerts a dead process left `sending`: at start, and under claims whenever one expired. */
  async function takeOverInterrupted(): Promise<void> {
    const interrupted = await requeueInterrupted(db, scope, deps.claim);
    if (interrupted.inFlight > 0) {
      // Note: the platform may have shown these before the crash; Discord drops the resend by its nonce, others may repeat it.
      log.warn({ alerts: interrupted.inFlight }, `resending ${interrupted.inFlight} alerts that were in flight at a crash`);
    }
    if (interrupted.requeued > 0) log.info({ alerts: interrupted.requeued }, 'requeued alerts claimed but not sent before a restart');
  }

  async function loop(): Promise<void> {
    await takeOverInterrupted();
    let checkedAt = Date.now();
    while (!stopped) {
      try {
        if (deps.claim && Date.now() - checkedAt >= deps.claim.leaseMs / 2) {
          checkedAt = Date.now();
          await takeOverInterrupted();
        }
        await drain();
      } catch (error) {
        log.error({ err: error }, 'outbox delivery failed');
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pollMs);
      });
    }
  }

  /** Renews this instance's claims while it delivers, so that a slow platform does not hand them to another. */
  function keepClaims(): NodeJS.Timeout | undefined {
    const claim = deps.claim;
    if (!claim) return undefined;
    const renewal = setInterval(() => {
      extendClaims(db, claim).catch((error: unknown) => log.warn({ err: error }, 'could not renew the claims on alerts in delivery'));
    }, claim.leaseMs / 3);
    renewal.unref();
    return renewal;
  }

  return {
    drain,
    start() {
      if (running) return;
      unsubscribe = deps.events.on('outbox_ready', () => wake?.());
      const renewal = keepClaims();
      running = loop().finally(() => clearInterval(renewal));
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

/** Counts delivered alerts of a sink and how long after their block each reached the platform. */
function createDeliveryMetrics(registry: Registry, sink: string): { delivered(blockTimes: (Date | null)[]): void } {
  const delivered =
    (registry.getSingleMetric('lookout_alerts_delivered_total') as Counter | undefined) ??
    new Counter({ name: 'lookout_alerts_delivered_total', help: 'Alerts and corrections the platform accepted', labelNames: ['sink'], registers: [registry] });
  const delay =
    (registry.getSingleMetric('lookout_alert_delivery_seconds') as Histogram | undefined) ??
    new Histogram({
      name: 'lookout_alert_delivery_seconds',
      help: "Seconds from a trade's block time to its alert's delivery",
      labelNames: ['sink'],
      buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 900, 3600],
      registers: [registry],
    });
  return {
    delivered(blockTimes) {
      delivered.inc({ sink }, blockTimes.length);
      const now = Date.now();
      for (const at of blockTimes) if (at) delay.observe({ sink }, Math.max(0, (now - at.getTime()) / 1000));
    },
  };
}

/** A thrown error as a passing fault, its message stored with the alert and the error itself logged. */
export function retryAfter(error: unknown): DeliveryResult {
  return { status: 'retry', error: error instanceof Error ? error.message : String(error), cause: error };
}

/** Delivers a destination's alerts one message each, for platforms that need no pacing of their own. */
export function oneByOne(deliver: Deliver | undefined): DeliverGroup {
  if (!deliver) throw new Error('an outbox worker needs deliver or deliverGroup');
  return async (_destination, items, report) => {
    for (const { alert, row } of items) {
      if (!(await report.attempting([row]))) return;
      const result = await deliver(alert, row).catch(retryAfter);
      await report.settled([row], result);
      if (result.status === 'paused') return;
    }
  };
}

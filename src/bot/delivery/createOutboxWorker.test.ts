import { asc, eq, inArray } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/testDatabase.js';
import type { LookoutConfig } from '../../config/loadConfig.js';
import { claimDueAlerts, markAttempted, requeueInterrupted } from '../../db/alertQueries.js';
import type { Database } from '../../db/openDatabase.js';
import { pausedDestinations, resumeDestination } from '../../db/pauseQueries.js';
import { alertOutbox, alertRoutes, trades } from '../../db/schema.js';
import { ensureWorkspace } from '../../db/workspaceQueries.js';
import { createEventBus } from '../../events/eventBus.js';
import { createOutboxWorker, type DeliverGroup, type DeliveryResult } from './createOutboxWorker.js';

const logger = pino({ level: 'silent' });
const config = { chains: [], followed: [] } as unknown as LookoutConfig;

describe('createOutboxWorker', () => {
  let database: Database;

  beforeEach(async () => {
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
  });
  afterEach(async () => {
    await database.close();
  });

  /** Stores `count` trades, each with one console alert, and answers the outbox ids, oldest first. */
  async function queueAlerts(count: number, destination = 'console'): Promise<number[]> {
    const stored = await database.db
      .insert(trades)
      .values(
        Array.from({ length: count }, (_, i) => ({
          chain: 'localbase',
          blockNumber: BigInt(i + 1),
          blockHash: `0xb${i}`,
          txHash: `0x${(i + 1).toString(16).padStart(64, '0')}`,
          wallet: '0x00000000000000000000000000000000000000aa',
          kind: 'buy' as const,
        })),
      )
      .returning({ id: trades.id });
    const rows = await database.db
      .insert(alertOutbox)
      .values(stored.map((trade) => ({ tradeId: trade.id, workspaceId: 'local', destination })))
      .returning({ id: alertOutbox.id });
    return rows.map((row) => row.id).sort((a, b) => a - b);
  }

  const states = async () =>
    database.db
      .select({ id: alertOutbox.id, state: alertOutbox.state, attempts: alertOutbox.attempts, attemptedAt: alertOutbox.attemptedAt, messageId: alertOutbox.platformMessageId })
      .from(alertOutbox)
      .orderBy(asc(alertOutbox.id));

  it('behavior: each alert is committed as sent before the next one is delivered', async () => {
    const ids = await queueAlerts(5);
    const seenSentBefore: number[] = [];
    const worker = createOutboxWorker({
      db: database.db,
      config,
      logger,
      events: createEventBus(),
      scope: { prefix: 'console' },
      deliver: async (_alert, row) => {
        const sent = await database.db.select({ id: alertOutbox.id }).from(alertOutbox).where(eq(alertOutbox.state, 'sent'));
        seenSentBefore.push(sent.length);
        const [mine] = await database.db.select().from(alertOutbox).where(eq(alertOutbox.id, row.id));
        expect(mine?.attemptedAt).not.toBeNull();
        return { status: 'sent', messageId: `m${row.id}` };
      },
    });
    expect(await worker.drain()).toBe(5);
    expect(seenSentBefore).toEqual([0, 1, 2, 3, 4]);
    expect((await states()).map((row) => [row.id, row.state, row.messageId])).toEqual(ids.map((id) => [id, 'sent', `m${id}`]));
  });

  it('behavior: a folded message marks all the alerts it carries in one go, and rows never attempted go back untouched', async () => {
    const ids = await queueAlerts(4, 'telegram:-1');
    const calls: number[][] = [];
    // Carries the first three in one message and leaves the fourth alone, then attempts nothing more.
    const deliverGroup: DeliverGroup = async (_destination, items, report) => {
      if (calls.length > 0) return;
      const rows = items.slice(0, 3).map((item) => item.row);
      calls.push(rows.map((row) => row.id));
      expect(await report.attempting(rows)).toBe(true);
      await report.settled(rows, { status: 'sent', messageId: '77' });
    };
    const worker = createOutboxWorker({ db: database.db, config, logger, events: createEventBus(), scope: { prefix: 'telegram:' }, deliverGroup });
    await worker.drain();
    const after = await states();
    expect(after.filter((row) => row.state === 'sent').map((row) => row.id)).toEqual(ids.slice(0, 3));
    expect(after.filter((row) => row.state === 'sent').every((row) => row.messageId === '77')).toBe(true);
    expect(calls).toEqual([ids.slice(0, 3)]);
    // Note: the fourth was claimed twice but never attempted: its attempt count stays 0.
    expect(after.find((row) => row.id === ids[3])).toMatchObject({ state: 'pending', attempts: 0, attemptedAt: null });
  });

  it('behavior: a retry and a pause are committed per message, and a stopped worker sends nothing more', async () => {
    await queueAlerts(3);
    const results: DeliveryResult[] = [{ status: 'retry', error: 'HTTP 500' }, { status: 'sent' }];
    let delivered = 0;
    const worker = createOutboxWorker({
      db: database.db,
      config,
      logger,
      events: createEventBus(),
      scope: { prefix: 'console' },
      deliver: async () => {
        delivered++;
        const result = results.shift();
        if (!result) {
          await worker.stop();
          return { status: 'sent' };
        }
        return result;
      },
    });
    await worker.drain();
    const after = await states();
    expect(after.map((row) => row.state)).toEqual(['pending', 'sent', 'sent']);
    expect(after[0]?.attempts).toBe(1);
    expect(delivered).toBe(3);
  });

  it('behavior: after a crash, rows in flight are told apart from rows only claimed, and the claim of the latter is undone', async () => {
    const ids = await queueAlerts(3);
    const claimed = await claimDueAlerts(database.db, { prefix: 'console' }, 10);
    expect(claimed.map((row) => row.id)).toEqual(ids);
    await markAttempted(database.db, [ids[0]!]);
    // The process dies here: the first alert may have been printed, the others were not tried.
    expect(await requeueInterrupted(database.db, { prefix: 'console' })).toEqual({ inFlight: 1, requeued: 2 });
    const after = await database.db.select().from(alertOutbox).where(inArray(alertOutbox.id, ids)).orderBy(asc(alertOutbox.id));
    expect(after.map((row) => [row.state, row.attempts, row.attemptedAt !== null])).toEqual([
      ['pending', 1, true],
      ['pending', 0, false],
      ['pending', 0, false],
    ]);
  });

  const nextAttempts = async () =>
    database.db.select({ id: alertOutbox.id, next: alertOutbox.nextAttemptAt, error: alertOutbox.lastError }).from(alertOutbox).orderBy(asc(alertOutbox.id));
  const worker = (deliver: (row: { id: number }) => Promise<DeliveryResult>, prefix = 'console') =>
    createOutboxWorker({ db: database.db, config, logger, events: createEventBus(), scope: { prefix }, deliver: (_alert, row) => deliver(row) });

  it('behavior: a failed delivery waits with backoff that grows with its attempts, or exactly as long as the platform asked', async () => {
    const [first, second] = await queueAlerts(2);
    const before = Date.now();
    await worker(async (row) => (row.id === first ? { status: 'retry', error: 'HTTP 500' } : { status: 'retry', afterMs: 30_000, error: '429' })).drain();
    const [a, b] = await nextAttempts();
    // Note: the first attempt waits between half and all of base · 2^1 = 2 s (full jitter).
    expect(a!.next.getTime() - before).toBeGreaterThanOrEqual(1_000);
    expect(a!.next.getTime() - Date.now()).toBeLessThanOrEqual(2_000);
    expect(a!.error).toBe('HTTP 500');
    expect(b!.next.getTime() - before).toBeGreaterThanOrEqual(30_000);
    expect(b!.next.getTime() - Date.now()).toBeLessThanOrEqual(30_000);
    expect((await states()).map((row) => [row.id, row.state, row.attempts])).toEqual([
      [first, 'pending', 1],
      [second, 'pending', 1],
    ]);
    // Not due yet: nothing is claimed again.
    let calls = 0;
    await worker(async () => (calls++, { status: 'sent' })).drain();
    expect(calls).toBe(0);
    // Due again, the attempt count grows, and with it the backoff.
    await database.db.update(alertOutbox).set({ nextAttemptAt: new Date(0) });
    await worker(async () => ({ status: 'retry', error: 'HTTP 502' })).drain();
    const again = await states();
    expect(again.map((row) => row.attempts)).toEqual([2, 2]);
    const [a2] = await nextAttempts();
    expect(a2!.next.getTime() - Date.now()).toBeGreaterThan(1_500);
  });

  it("behavior: 'later' puts an alert back untouched, without counting an attempt", async () => {
    await queueAlerts(1);
    const before = Date.now();
    await worker(async () => ({ status: 'later', afterMs: 5_000 })).drain();
    const [row] = await states();
    expect(row).toMatchObject({ state: 'pending', attempts: 0 });
    expect((await nextAttempts())[0]!.next.getTime()).toBeGreaterThanOrEqual(before + 5_000);
  });

  it('behavior: a destination that refuses for good is paused with its routes and queued alerts, told once, and resumed as a whole', async () => {
    await queueAlerts(3, 'discord:9');
    await database.db.insert(alertRoutes).values({ workspaceId: 'local', destination: 'discord:9', createdBy: 'test' });
    let calls = 0;
    await worker(async () => (calls++, { status: 'paused', reason: 'the channel was deleted' }), 'discord:').drain();
    // Note: the first refusal pauses the destination; its other alerts are not tried.
    expect(calls).toBe(1);
    expect((await states()).map((row) => row.state)).toEqual(['paused', 'paused', 'paused']);
    expect(await pausedDestinations(database.db, 'local')).toEqual([{ destination: 'discord:9', reason: 'the channel was deleted' }]);
    const [route] = await database.db.select().from(alertRoutes);
    expect(route).toMatchObject({ pausedReason: 'the channel was deleted' });
    expect(await resumeDestination(database.db, 'discord:9')).toBe(3);
    expect(await pausedDestinations(database.db, 'local')).toEqual([]);
    await worker(async () => ({ status: 'sent' }), 'discord:').drain();
    expect((await states()).map((row) => row.state)).toEqual(['sent', 'sent', 'sent']);
  });

  it('behavior: an error thrown by a platform retries only the alerts it had not settled, with the error kept', async () => {
    const ids = await queueAlerts(3, 'telegram:-5');
    const deliverGroup: DeliverGroup = async (_destination, items, report) => {
      await report.attempting([items[0]!.row]);
      await report.settled([items[0]!.row], { status: 'sent' });
      throw new Error('socket hang up');
    };
    await createOutboxWorker({ db: database.db, config, logger, events: createEventBus(), scope: { prefix: 'telegram:' }, deliverGroup }).drain();
    const after = await states();
    expect(after.map((row) => [row.id, row.state])).toEqual([
      [ids[0], 'sent'],
      [ids[1], 'pending'],
      [ids[2], 'pending'],
    ]);
    expect((await nextAttempts()).slice(1).map((row) => row.error)).toEqual(['socket hang up', 'socket hang up']);
  });

  it('behavior: stopping during a group sends nothing more; what was not attempted goes back untouched', async () => {
    const ids = await queueAlerts(3, 'telegram:-6');
    let stopping: Promise<void> | undefined;
    const outbox = createOutboxWorker({
      db: database.db,
      config,
      logger,
      events: createEventBus(),
      scope: { prefix: 'telegram:' },
      deliverGroup: async (_destination, items, report) => {
        for (const { row } of items) {
          if (!(await report.attempting([row]))) return;
          await report.settled([row], { status: 'sent' });
          stopping ??= outbox.stop();
        }
      },
    });
    expect(await outbox.drain()).toBe(1);
    await stopping;
    expect((await states()).map((row) => [row.id, row.state, row.attempts, row.attemptedAt !== null])).toEqual([
      [ids[0], 'sent', 1, true],
      [ids[1], 'pending', 0, false],
      [ids[2], 'pending', 0, false],
    ]);
  });

  it('behavior: a crash between attempted and sent resends only the alert in flight; the ones before stay sent', async () => {
    const ids = await queueAlerts(4);
    let attempted = () => {};
    const attemptedSecond = new Promise<void>((resolve) => (attempted = resolve));
    // The first alert is printed and committed; the process dies while the second is being written.
    void worker(async (row) => {
      if (row.id === ids[0]) return { status: 'sent' };
      attempted();
      return new Promise<DeliveryResult>(() => {});
    }).drain();
    await attemptedSecond;
    expect(await requeueInterrupted(database.db, { prefix: 'console' })).toEqual({ inFlight: 1, requeued: 2 });
    const resent: number[] = [];
    await worker(async (row) => (resent.push(row.id), { status: 'sent' })).drain();
    expect(resent).toEqual(ids.slice(1));
    expect((await states()).map((row) => [row.id, row.state, row.attempts])).toEqual([
      [ids[0], 'sent', 1],
      [ids[1], 'sent', 2],
      [ids[2], 'sent', 1],
      [ids[3], 'sent', 1],
    ]);
  });
});

import { asc, eq, inArray } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/testDatabase.js';
import type { LookoutConfig } from '../../config/loadConfig.js';
import { claimDueAlerts, markAttempted, requeueInterrupted } from '../../db/alertQueries.js';
import type { Database } from '../../db/openDatabase.js';
import { alertOutbox, trades } from '../../db/schema.js';
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
});

import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/testDatabase.js';
import { claimDueAlerts, extendClaims, markAttempted, markRetry, markSent, releaseUnattempted, requeueInterrupted } from './alertQueries.js';
import { acquireLease, checkFence, LeaseLost, listLeases, releaseLeases } from './leaseQueries.js';
import type { Database } from './openDatabase.js';
import { alertOutbox, leases, trades, workspaces } from './schema.js';

const A = { name: 'lookout-a', token: 'aaaaaaaaaaaa' };
const B = { name: 'lookout-b', token: 'bbbbbbbbbbbb' };
const A_RESTARTED = { name: 'lookout-a', token: 'cccccccccccc' };

describe('leases and outbox claims, for several instances on one Postgres', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  const expire = (name: string) => database.db.update(leases).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(leases.name, name));

  it('behavior: one holder at a time; a renewal keeps the epoch, a takeover after expiry raises it', async () => {
    const { db } = database;
    expect(await acquireLease(db, 'chain:x', A, 10_000)).toBe(1n);
    expect(await acquireLease(db, 'chain:x', B, 10_000)).toBeNull();
    expect(await acquireLease(db, 'chain:x', A, 10_000)).toBe(1n);
    await expire('chain:x');
    expect(await acquireLease(db, 'chain:x', B, 10_000)).toBe(2n);
    expect(await acquireLease(db, 'chain:x', A, 10_000)).toBeNull();
    const [row] = (await listLeases(db)).filter((lease) => lease.name === 'chain:x');
    expect(row).toMatchObject({ holder: 'lookout-b', epoch: 2n });
    expect(row!.expiresInMs).toBeGreaterThan(5_000);
  });

  it('behavior: the same instance restarted takes its lease back at once, under a new epoch; force takes any', async () => {
    const { db } = database;
    expect(await acquireLease(db, 'chain:y', A, 10_000)).toBe(1n);
    expect(await acquireLease(db, 'chain:y', A_RESTARTED, 10_000)).toBe(2n);
    expect(await acquireLease(db, 'chain:y', B, 10_000, true)).toBe(3n);
  });

  it('error: a write fenced with a lost epoch is refused, and one with the live epoch goes through', async () => {
    const { db } = database;
    const epoch = (await acquireLease(db, 'chain:z', A, 10_000))!;
    await db.transaction((tx) => checkFence(tx, { lease: 'chain:z', token: A.token, epoch }));
    await expire('chain:z');
    // Expired, though no one took over yet: the old holder may be paused past its lease, so it may not write.
    await expect(db.transaction((tx) => checkFence(tx, { lease: 'chain:z', token: A.token, epoch }))).rejects.toBeInstanceOf(LeaseLost);
    const taken = (await acquireLease(db, 'chain:z', B, 10_000))!;
    await expect(db.transaction((tx) => checkFence(tx, { lease: 'chain:z', token: A.token, epoch }))).rejects.toBeInstanceOf(LeaseLost);
    await db.transaction((tx) => checkFence(tx, { lease: 'chain:z', token: B.token, epoch: taken }));
    await releaseLeases(db, B.token);
    expect((await listLeases(db)).some((lease) => lease.name === 'chain:z')).toBe(false);
  });

  it("behavior: an instance never takes another live instance's alert in flight; an expired claim is taken over", async () => {
    const { db } = database;
    await db.insert(workspaces).values({ id: 'w1', platform: 'local', externalId: 'w1', name: 'w1' }).onConflictDoNothing();
    const [trade] = await db
      .insert(trades)
      .values({ chain: 'c', blockNumber: 1n, blockHash: '0x1', blockTime: new Date(), txHash: '0xt', txIndex: 0, wallet: '0xw', kind: 'buy' })
      .returning({ id: trades.id });
    await db.insert(alertOutbox).values([
      { tradeId: trade!.id, workspaceId: 'w1', destination: 'console' },
      { tradeId: trade!.id, workspaceId: 'w1', destination: 'console:other' },
    ]);
    const scope = { prefix: 'console' };
    const claimA = { by: `${A.name}#${A.token}`, leaseMs: 30_000 };
    const claimB = { by: `${B.name}#${B.token}`, leaseMs: 30_000 };
    const claimed = await claimDueAlerts(db, scope, 10, new Date(), claimA);
    expect(claimed.map((row) => row.claimedBy)).toEqual([claimA.by, claimA.by]);
    await markAttempted(db, [claimed[0]!.id]);

    // B starts while A delivers: it leaves A's rows alone, and finds nothing to claim.
    expect(await requeueInterrupted(db, scope, claimB)).toEqual({ inFlight: 0, requeued: 0 });
    expect(await claimDueAlerts(db, scope, 10, new Date(), claimB)).toEqual([]);

    // A renews; then A dies and its claims run out: B takes both over, the one in flight counted as such.
    await extendClaims(db, claimA);
    await db.update(alertOutbox).set({ leaseUntil: sql`now() - interval '1 second'` });
    expect(await requeueInterrupted(db, scope, claimB)).toEqual({ inFlight: 1, requeued: 1 });
    expect((await claimDueAlerts(db, scope, 10, new Date(), claimB)).map((row) => row.claimedBy)).toEqual([claimB.by, claimB.by]);

    // A restarted under its own name takes back nothing of B's, though B's claims are live.
    const restarted = { by: `${A_RESTARTED.name}#${A_RESTARTED.token}`, leaseMs: 30_000 };
    expect(await requeueInterrupted(db, scope, restarted)).toEqual({ inFlight: 0, requeued: 0 });
    // B restarted under its own name takes its rows back at once.
    expect(await requeueInterrupted(db, scope, { by: `${B.name}#dddddddddddd`, leaseMs: 30_000 })).toEqual({ inFlight: 0, requeued: 2 });
  });

  it('error: a process paused past its claim neither sends nor settles the alert another instance took over', async () => {
    const { db } = database;
    const [trade] = await db
      .insert(trades)
      .values({ chain: 'c', blockNumber: 2n, blockHash: '0x2', blockTime: new Date(), txHash: '0xpaused', txIndex: 0, wallet: '0xw', kind: 'buy' })
      .returning({ id: trades.id });
    const scope = { prefix: 'paused' };
    const [row] = await db.insert(alertOutbox).values({ tradeId: trade!.id, workspaceId: 'w1', destination: 'paused' }).returning();
    const claimA = { by: `${A.name}#${A.token}`, leaseMs: 30_000 };
    const claimB = { by: `${B.name}#${B.token}`, leaseMs: 30_000 };
    expect((await claimDueAlerts(db, scope, 10, new Date(), claimA)).map((claimed) => claimed.id)).toEqual([row!.id]);

    // A claim with less than a third of its lease left is not sent on: the holder may be about to lose it.
    await db.update(alertOutbox).set({ leaseUntil: sql`now() + interval '5 seconds'` }).where(eq(alertOutbox.id, row!.id));
    expect(await markAttempted(db, [row!.id], new Date(), claimA)).toEqual([]);

    // A is paused past its claim; B takes the alert over and sends it.
    await db.update(alertOutbox).set({ leaseUntil: sql`now() - interval '1 second'` }).where(eq(alertOutbox.id, row!.id));
    expect(await requeueInterrupted(db, scope, claimB)).toEqual({ inFlight: 0, requeued: 1 });
    expect((await claimDueAlerts(db, scope, 10, new Date(), claimB)).map((claimed) => claimed.claimedBy)).toEqual([claimB.by]);
    expect(await markAttempted(db, [row!.id], new Date(), claimB)).toEqual([row!.id]);

    // A wakes: it may not send, and what it would record changes nothing of B's row.
    expect(await markAttempted(db, [row!.id], new Date(), claimA)).toEqual([]);
    await markRetry(db, [row!.id], new Date(), 'timeout', claimA);
    await releaseUnattempted(db, [row!.id], undefined, claimA);
    await markSent(db, [row!.id], 'from-a', new Date(), claimA);
    const [after] = await db.select().from(alertOutbox).where(eq(alertOutbox.id, row!.id));
    expect(after).toMatchObject({ state: 'sending', claimedBy: claimB.by, platformMessageId: null });
    await markSent(db, [row!.id], 'from-b', new Date(), claimB);
    const [sent] = await db.select().from(alertOutbox).where(eq(alertOutbox.id, row!.id));
    expect(sent).toMatchObject({ state: 'sent', platformMessageId: 'from-b' });
  });
});

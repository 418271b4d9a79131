import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { leases } from './schema.js';

/** Who asks for a lease: the instance's name and the token of this process. */
export type LeaseHolder = { name: string; token: string };

/** A lease held: what a follower's writes show to prove it still holds it. */
export type Fence = { lease: string; token: string; epoch: bigint };

/** A write refused because the writer no longer holds its lease (it expired, or another instance took over). */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
  constructor(readonly lease: string) {
    super(`the lease ${lease} is held by another instance now`);
  }
}

/**
 * Takes or renews a lease for `ttlMs` and answers its epoch, or null while another live process holds it. A lease
 * passes to a new holder when it expired, or at once when the asker has the holder's instance name (the same
 * instance, restarted); each such takeover increases the epoch. `force` takes it whatever the holder (the
 * embedded database allows one process, so a lease found there was left by a process that died).
 * Note: expiry is reckoned on the database's clock, the one clock every instance shares.
 */
export async function acquireLease(db: Db, name: string, holder: LeaseHolder, ttlMs: number, force = false): Promise<bigint | null> {
  const expiresAt = sql`now() + ${`${Math.max(1, Math.round(ttlMs))} milliseconds`}::interval`;
  const same = sql`${leases.holderToken} = excluded.holder_token`;
  const rows = await db
    .insert(leases)
    .values({ name, holder: holder.name, holderToken: holder.token, epoch: 1n, expiresAt })
    .onConflictDoUpdate({
      target: leases.name,
      set: {
        holder: sql`excluded.holder`,
        holderToken: sql`excluded.holder_token`,
        epoch: sql`case when ${same} then ${leases.epoch} else ${leases.epoch} + 1 end`,
        acquiredAt: sql`case when ${same} then ${leases.acquiredAt} else now() end`,
        expiresAt: sql`excluded.expires_at`,
      },
      setWhere: force
        ? undefined
        : sql`${same} or ${leases.expiresAt} < now() or ${leases.holder} = excluded.holder`,
    })
    .returning({ epoch: leases.epoch });
  return rows[0]?.epoch ?? null;
}

/** Gives up the leases this process holds, so that another instance takes them over at once. */
export async function releaseLeases(db: Db, token: string): Promise<void> {
  await db.delete(leases).where(eq(leases.holderToken, token));
}

/**
 * Inside a write's transaction: throws LeaseLost unless the fence's lease is still held, unexpired, at its epoch.
 * The row stays locked until the transaction ends, so a takeover waits for the write, and reads what it wrote.
 */
export async function checkFence(tx: Tx, fence: Fence): Promise<void> {
  const held = await tx
    .select({ epoch: leases.epoch })
    .from(leases)
    .where(and(eq(leases.name, fence.lease), eq(leases.holderToken, fence.token), eq(leases.epoch, fence.epoch), gt(leases.expiresAt, sql`now()`)))
    .for('share');
  if (held.length === 0) throw new LeaseLost(fence.lease);
}

export type LeaseRow = { name: string; holder: string; epoch: bigint; acquiredAt: Date; expiresInMs: number };

/** Every lease, with how long until it expires (negative: expired), for `lookout status`. */
export async function listLeases(db: Db): Promise<LeaseRow[]> {
  const rows = await db
    .select({
      name: leases.name,
      holder: leases.holder,
      epoch: leases.epoch,
      acquiredAt: leases.acquiredAt,
      expiresInMs: sql<string>`(extract(epoch from ${leases.expiresAt} - now()) * 1000)::bigint`,
    })
    .from(leases)
    .orderBy(asc(leases.name));
  return rows.map((row) => ({ ...row, expiresInMs: Number(row.expiresInMs) }));
}

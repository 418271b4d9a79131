import { and, asc, eq, or, sql } from 'drizzle-orm';
import { DbNotFound } from './DbError.js';
import type { Db, Tx } from './openDatabase.js';
import { wallets } from './schema.js';

export type TrackedWallet = typeof wallets.$inferSelect;

/** The rows of the wallet named by a label (case-insensitive) or an address, in one workspace. */
export async function findWallets(db: Db | Tx, workspaceId: string, ref: string): Promise<TrackedWallet[]> {
  const value = ref.trim();
  const address = value.startsWith('0x') ? value.toLowerCase() : value;
  return db
    .select()
    .from(wallets)
    .where(and(eq(wallets.workspaceId, workspaceId), or(sql`lower(${wallets.label}) = lower(${value})`, eq(wallets.address, address))))
    .orderBy(asc(wallets.chain));
}

/** Like `findWallets`, but a ref that names nothing is a `DbNotFound`. */
export async function requireWallets(db: Db | Tx, workspaceId: string, ref: string): Promise<TrackedWallet[]> {
  const found = await findWallets(db, workspaceId, ref);
  if (found.length === 0) throw new DbNotFound({ entity: 'wallet', ref });
  return found;
}

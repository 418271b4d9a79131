import { and, asc, eq, gte, not, or, sql } from 'drizzle-orm';
import type { Db } from './openDatabase.js';
import type { WalletKey } from './pnlQueries.js';
import { balanceChanges, holdingSnapshots } from './schema.js';

export type HoldingRow = { chain: string; wallet: string; asset: string; amount: bigint; valueUsd: string | null };

/** Every asset a wallet has ever moved, so its current balance of each can be read. */
export async function assetsEverHeld(db: Db, chain: string, wallet: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ asset: balanceChanges.asset })
    .from(balanceChanges)
    .where(and(eq(balanceChanges.chain, chain), eq(balanceChanges.wallet, wallet)));
  return rows.map((row) => row.asset);
}

/** Stores one snapshot of holdings; taking the same snapshot twice stores it once. */
export async function saveHoldingSnapshot(db: Db, takenAt: Date, rows: HoldingRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(holdingSnapshots)
    .values(rows.map((row) => ({ ...row, takenAt })))
    .onConflictDoNothing();
}

/**
 * The value over time of some wallets: one point per snapshot, summing the priced holdings exactly in SQL. Assets
 * named in `leaveOut` (the stablecoins, which PnL counts as money, not positions) are not summed.
 */
export async function portfolioValueSeries(
  db: Db,
  keys: WalletKey[],
  since: Date,
  leaveOut: readonly { chain: string; asset: string }[] = [],
): Promise<{ at: Date; valueUsd: string }[]> {
  if (keys.length === 0) return [];
  const left = leaveOut.map((entry) => and(eq(holdingSnapshots.chain, entry.chain), eq(holdingSnapshots.asset, entry.asset)));
  const rows = await db
    .select({ at: holdingSnapshots.takenAt, value: sql<string>`coalesce(sum(${holdingSnapshots.valueUsd}), 0)::text` })
    .from(holdingSnapshots)
    .where(
      and(
        or(...keys.map((key) => and(eq(holdingSnapshots.chain, key.chain), eq(holdingSnapshots.wallet, key.address)))),
        gte(holdingSnapshots.takenAt, since),
        ...(left.length > 0 ? [not(or(...left)!)] : []),
      ),
    )
    .groupBy(holdingSnapshots.takenAt)
    .orderBy(asc(holdingSnapshots.takenAt));
  return rows.map((row) => ({ at: new Date(row.at), valueUsd: row.value }));
}

/** Whether any followed wallet of the chain has held the asset: a token nobody held is unknown, and unsolicited transfers of it are spam. */
export async function anyWalletHeld(db: Db, chain: string, asset: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(balanceChanges)
    .where(and(eq(balanceChanges.chain, chain), eq(balanceChanges.asset, asset)))
    .limit(1);
  return row !== undefined;
}

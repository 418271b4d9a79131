import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from './openDatabase.js';
import { balanceChanges } from './schema.js';

/** Where a trade sits in its wallet's history: its chain, wallet, block and place in the block. */
export type TradePlace = { chain: string; wallet: string; blockNumber: bigint; txIndex: number | null };

/** A wallet's stored balance of one asset before a trade, and how many earlier changes brought it in. */
export type HoldingBefore = {
  /** The sum of the wallet's stored deltas of the asset before the trade, raw; exact. */
  amount: bigint;
  /** How many earlier stored changes added the asset: 0 when the wallet never received it before. */
  earlierIns: number;
};

/**
 * The wallet's holding of `asset` just before a trade, from its stored balance changes: every change of an earlier
 * block, and of an earlier transaction of the same block.
 * Note: a change whose place in its block is unknown (no tx index) counts only from earlier blocks.
 */
export async function holdingBefore(db: Db, place: TradePlace, asset: string): Promise<HoldingBefore> {
  const earlierInBlock =
    place.txIndex === null
      ? sql`false`
      : and(eq(balanceChanges.blockNumber, place.blockNumber), lt(balanceChanges.txIndex, place.txIndex));
  const [row] = await db
    .select({
      amount: sql<string>`coalesce(sum(${balanceChanges.amount}), 0)::text`,
      earlierIns: sql<number>`count(*) filter (where ${balanceChanges.amount} > 0)::int`,
    })
    .from(balanceChanges)
    .where(
      and(
        eq(balanceChanges.chain, place.chain),
        eq(balanceChanges.wallet, place.wallet),
        eq(balanceChanges.asset, asset),
        or(lt(balanceChanges.blockNumber, place.blockNumber), earlierInBlock),
      ),
    );
  return { amount: BigInt(row?.amount ?? '0'), earlierIns: Number(row?.earlierIns ?? 0) };
}

import { and, desc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import { Rational } from '../tracker/pnl/Rational.js';
import type { Db } from './openDatabase.js';
import { tokens, trades } from './schema.js';

/**
 * The latest price of a token seen on chain: the USD value over the amount of the newest priced buy,
 * sell or swap of it by any followed wallet, with the time of that trade.
 */
export async function latestTradePrice(db: Db, chain: string, asset: string): Promise<{ priceUsd: string; at: Date } | null> {
  const [row] = await db
    .select({ usd: trades.usdValue, amount: trades.baseAmount, at: sql<Date>`coalesce(${trades.blockTime}, ${trades.createdAt})`, decimals: tokens.decimals })
    .from(trades)
    .innerJoin(tokens, and(eq(tokens.chain, trades.chain), eq(tokens.address, trades.baseAsset)))
    .where(
      and(
        eq(trades.chain, chain),
        eq(trades.baseAsset, asset),
        isNotNull(trades.usdValue),
        gt(trades.baseAmount, sql`0`),
        isNull(trades.revertedAt),
        sql`${trades.kind} in ('buy', 'sell', 'swap')`,
      ),
    )
    .orderBy(desc(trades.blockNumber), desc(trades.id))
    .limit(1);
  if (!row || row.usd === null || row.amount === null) return null;
  const price = Rational.parse(row.usd).div(Rational.fromRaw(row.amount, row.decimals));
  return { priceUsd: price.toDecimalString(18), at: new Date(row.at) };
}

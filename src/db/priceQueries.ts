import { and, desc, eq, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { balanceChanges, historicalPrices, prices, tokens, trades } from './schema.js';

export type PriceRow = typeof prices.$inferSelect;
export type NewPrice = typeof prices.$inferInsert;

/** Every stored price of one asset at one block (or slot), whatever its source. */
export async function findPricesAt(db: Db | Tx, chain: string, asset: string, blockNumber: bigint): Promise<PriceRow[]> {
  return db
    .select()
    .from(prices)
    .where(and(eq(prices.chain, chain), eq(prices.asset, asset), eq(prices.blockNumber, blockNumber)));
}

/** The most recently observed price of an asset among `sources`; null when none is stored. */
export async function findLatestPrice(db: Db | Tx, chain: string, asset: string, sources: string[]): Promise<PriceRow | null> {
  if (sources.length === 0) return null;
  const [row] = await db
    .select()
    .from(prices)
    .where(and(eq(prices.chain, chain), eq(prices.asset, asset), inArray(prices.source, sources)))
    .orderBy(desc(prices.observedAt), desc(prices.blockNumber))
    .limit(1);
  return row ?? null;
}

/** The most recent price of an asset among `sources` observed within [`from`, `to`]; null when none is. */
export async function findLatestPriceBetween(
  db: Db | Tx,
  chain: string,
  asset: string,
  sources: string[],
  from: Date,
  to: Date,
): Promise<PriceRow | null> {
  if (sources.length === 0) return null;
  const [row] = await db
    .select()
    .from(prices)
    .where(and(eq(prices.chain, chain), eq(prices.asset, asset), inArray(prices.source, sources), gte(prices.observedAt, from), lte(prices.observedAt, to)))
    .orderBy(desc(prices.observedAt), desc(prices.blockNumber))
    .limit(1);
  return row ?? null;
}

/**
 * Stores a price. A reading of a chain at a block never changes, so by default the first one stays;
 * `replace` overwrites, for prices that are "the latest" under a fixed key (a trade price, an API quote).
 */
export async function savePrice(db: Db | Tx, row: NewPrice, replace = false): Promise<void> {
  const insert = db.insert(prices).values(row);
  if (!replace) {
    await insert.onConflictDoNothing();
    return;
  }
  await insert.onConflictDoUpdate({
    target: [prices.chain, prices.asset, prices.blockNumber, prices.source],
    set: { priceUsd: row.priceUsd, observedAt: row.observedAt, createdAt: new Date() },
  });
}

export type HistoricalPriceRow = typeof historicalPrices.$inferSelect;

/** What the given sources answered for one asset in one time bucket (a null price: "unknown"). */
export async function findHistoricalPrices(
  db: Db | Tx,
  chain: string,
  asset: string,
  bucketStart: Date,
  sources: string[],
): Promise<HistoricalPriceRow[]> {
  if (sources.length === 0) return [];
  return db
    .select()
    .from(historicalPrices)
    .where(
      and(
        eq(historicalPrices.chain, chain),
        eq(historicalPrices.asset, asset),
        eq(historicalPrices.bucketStart, bucketStart),
        inArray(historicalPrices.source, sources),
      ),
    );
}

/** Keeps a source's answer for a time bucket; a later answer for the same bucket replaces an "unknown". */
export async function saveHistoricalPrice(
  db: Db | Tx,
  row: { chain: string; asset: string; source: string; bucketStart: Date; priceUsd: string | null; observedAt: Date | null },
): Promise<void> {
  await db
    .insert(historicalPrices)
    .values(row)
    .onConflictDoUpdate({
      target: [historicalPrices.chain, historicalPrices.asset, historicalPrices.source, historicalPrices.bucketStart],
      set: { priceUsd: row.priceUsd, observedAt: row.observedAt, createdAt: new Date() },
      // Note: a known price is never replaced by an "unknown" from a later, failing, question.
      where: isNull(historicalPrices.priceUsd),
    });
}

export type UnpricedTrade = Pick<
  typeof trades.$inferSelect,
  'id' | 'chain' | 'blockNumber' | 'blockTime' | 'kind' | 'baseAsset' | 'baseAmount' | 'quoteAsset' | 'quoteAmount'
>;

/**
 * Trades since `since` (block time) left without a USD value, by id from the newest down, below `beforeId` when
 * given; failed, spam and reverted ones are left out.
 */
export async function findUnpricedTrades(
  db: Db | Tx,
  chains: string[],
  since: Date,
  limit: number,
  beforeId?: number,
): Promise<UnpricedTrade[]> {
  if (chains.length === 0) return [];
  return db
    .select({
      id: trades.id,
      chain: trades.chain,
      blockNumber: trades.blockNumber,
      blockTime: trades.blockTime,
      kind: trades.kind,
      baseAsset: trades.baseAsset,
      baseAmount: trades.baseAmount,
      quoteAsset: trades.quoteAsset,
      quoteAmount: trades.quoteAmount,
    })
    .from(trades)
    .where(
      and(
        inArray(trades.chain, chains),
        isNull(trades.usdValue),
        eq(trades.failed, false),
        eq(trades.isSpam, false),
        isNull(trades.revertedAt),
        gte(trades.blockTime, since),
        beforeId === undefined ? undefined : lt(trades.id, beforeId),
        or(sql`${trades.baseAsset} is not null`, sql`${trades.quoteAsset} is not null`),
      ),
    )
    .orderBy(desc(trades.id))
    .limit(limit);
}

/**
 * Sets the USD value of a trade priced after it was stored (a source was down then). Only a trade still
 * without one is changed; alerts already sent are not touched, so nothing is sent again.
 */
export async function setTradeUsdValue(db: Db | Tx, id: number, usdValue: string): Promise<boolean> {
  const updated = await db
    .update(trades)
    .set({ usdValue })
    .where(and(eq(trades.id, id), isNull(trades.usdValue)))
    .returning({ id: trades.id });
  return updated.length > 0;
}

/** The assets some wallet of `chain` holds by its recorded balance changes (a positive net amount), spam left out. */
export async function heldAssets(db: Db | Tx, chain: string): Promise<string[]> {
  const held = db
    .select({ asset: balanceChanges.asset })
    .from(balanceChanges)
    .leftJoin(tokens, and(eq(tokens.chain, balanceChanges.chain), eq(tokens.address, balanceChanges.asset)))
    .where(and(eq(balanceChanges.chain, chain), sql`coalesce(${tokens.isSpam}, false) = false`))
    .groupBy(balanceChanges.wallet, balanceChanges.asset)
    .having(sql`sum(${balanceChanges.amount}) > 0`)
    .as('held');
  const rows = await db.selectDistinct({ asset: held.asset }).from(held);
  return rows.map((row) => row.asset);
}

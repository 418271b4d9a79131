import { and, desc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { prices } from './schema.js';

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

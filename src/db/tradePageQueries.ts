import { aliasedTable, and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { tokens, trades, wallets } from './schema.js';

export type Trade = typeof trades.$inferSelect;
export type TokenInfo = { symbol: string | null; decimals: number | null };
/** A stored trade with its wallet's label and its tokens' symbols and decimals. */
export type TradeListing = Trade & { label: string; base: TokenInfo; quote: TokenInfo };

/** Where a page of trades starts: after the trade with this sort time (exact epoch seconds, as text) and id. */
export type TradePosition = { epoch: string; id: number };

export type TradePageFilter = {
  workspaceId: string;
  walletIds?: number[] | undefined;
  chain?: string | undefined;
  kind?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  after?: TradePosition | undefined;
  limit: number;
};

/** A trade of a page, with the position the next page starts after. */
export type TradePageRow = TradeListing & { position: TradePosition };

/**
 * One page of a workspace's trades, newest first by (block time, id); a trade without a block time sorts by when it
 * was stored. Note: the position is the exact epoch in microseconds, so no two trades of one millisecond are skipped.
 */
export async function listTradePage(db: Db | Tx, filter: TradePageFilter): Promise<TradePageRow[]> {
  const baseToken = aliasedTable(tokens, 'base_token');
  const quoteToken = aliasedTable(tokens, 'quote_token');
  const time = sql`coalesce(${trades.blockTime}, ${trades.createdAt})`;
  const conditions: SQL[] = [eq(wallets.workspaceId, filter.workspaceId), isNull(trades.revertedAt)];
  if (filter.walletIds) conditions.push(inArray(wallets.id, filter.walletIds.length ? filter.walletIds : [-1]));
  if (filter.chain) conditions.push(eq(trades.chain, filter.chain));
  if (filter.kind) conditions.push(sql`${trades.kind} = ${filter.kind}`);
  if (filter.since) conditions.push(sql`${time} >= ${filter.since.toISOString()}::timestamptz`);
  if (filter.until) conditions.push(sql`${time} < ${filter.until.toISOString()}::timestamptz`);
  if (filter.after) conditions.push(sql`(extract(epoch from ${time}), ${trades.id}) < (${filter.after.epoch}::numeric, ${filter.after.id})`);
  const rows = await db
    .select({
      trade: trades,
      epoch: sql<string>`extract(epoch from ${time})::text`,
      label: wallets.label,
      baseSymbol: baseToken.symbol,
      baseDecimals: baseToken.decimals,
      quoteSymbol: quoteToken.symbol,
      quoteDecimals: quoteToken.decimals,
    })
    .from(trades)
    .innerJoin(wallets, and(eq(wallets.chain, trades.chain), eq(wallets.address, trades.wallet)))
    .leftJoin(baseToken, and(eq(baseToken.chain, trades.chain), eq(baseToken.address, trades.baseAsset)))
    .leftJoin(quoteToken, and(eq(quoteToken.chain, trades.chain), eq(quoteToken.address, trades.quoteAsset)))
    .where(and(...conditions))
    .orderBy(sql`${time} desc`, sql`${trades.id} desc`)
    .limit(filter.limit);
  return rows.map((row) => ({
    ...row.trade,
    label: row.label,
    base: { symbol: row.baseSymbol, decimals: row.baseDecimals },
    quote: { symbol: row.quoteSymbol, decimals: row.quoteDecimals },
    position: { epoch: row.epoch, id: row.trade.id },
  }));
}

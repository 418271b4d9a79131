import { aliasedTable, and, desc, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { tokens, trades, wallets } from './schema.js';

export type Trade = typeof trades.$inferSelect;
export type TokenInfo = { symbol: string | null; decimals: number | null };
export type TradeListing = Trade & { label: string; base: TokenInfo; quote: TokenInfo };

export type ListTradesFilter = {
  workspaceId: string;
  /** Only these wallet rows (a wallet's chains, or a group's members). */
  walletIds?: number[] | undefined;
  since?: Date | undefined;
  limit?: number | undefined;
};

/** The trades of a workspace's wallets, newest first, with labels and token symbols. */
export async function listTrades(db: Db | Tx, filter: ListTradesFilter): Promise<TradeListing[]> {
  const baseToken = aliasedTable(tokens, 'base_token');
  const quoteToken = aliasedTable(tokens, 'quote_token');
  const conditions: SQL[] = [eq(wallets.workspaceId, filter.workspaceId), isNull(trades.revertedAt)];
  if (filter.walletIds) conditions.push(inArray(wallets.id, filter.walletIds.length ? filter.walletIds : [-1]));
  // Note: a raw SQL expression has no column type to map a Date through, so the time goes as ISO text.
  if (filter.since) conditions.push(gte(sql`coalesce(${trades.blockTime}, ${trades.createdAt})`, sql`${filter.since.toISOString()}::timestamptz`));
  const rows = await db
    .select({
      trade: trades,
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
    .orderBy(desc(sql`coalesce(${trades.blockTime}, ${trades.createdAt})`), desc(trades.id))
    .limit(filter.limit ?? 50);
  return rows.map((row) => ({
    ...row.trade,
    label: row.label,
    base: { symbol: row.baseSymbol, decimals: row.baseDecimals },
    quote: { symbol: row.quoteSymbol, decimals: row.quoteDecimals },
  }));
}

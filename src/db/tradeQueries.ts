import type { Db, Tx } from './openDatabase.js';
import { listTradePage, type TradeListing } from './tradePageQueries.js';

export type { Trade, TokenInfo, TradeListing } from './tradePageQueries.js';

export type ListTradesFilter = {
  workspaceId: string;
  /** Only these wallet rows (a wallet's chains, or a group's members). */
  walletIds?: number[] | undefined;
  since?: Date | undefined;
  limit?: number | undefined;
};

/** The latest trades of a workspace's wallets, newest first, with labels and token symbols: the first page of `listTradePage`. */
export async function listTrades(db: Db | Tx, filter: ListTradesFilter): Promise<TradeListing[]> {
  const rows = await listTradePage(db, { ...filter, limit: filter.limit ?? 50 });
  return rows.map(({ position: _position, ...trade }) => trade);
}

import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from './openDatabase.js';
import { balanceChanges, prices, tokens, trades } from './schema.js';

/** A wallet as trades name it: its chain and address. */
export type WalletKey = { chain: string; address: string };

/** One asset a stored trade moved for its wallet: a signed raw amount (+ in, - out), with what is known of the token. */
export type TradeLegRow = { asset: string; symbol: string | null; decimals: number | null; amount: bigint };

/** A stored on-chain trade with its legs, as the PnL of a scope reads it. */
export type PnlTradeRow = {
  id: number;
  txHash: string;
  /** The block's time, or when Lookout stored the trade when the block had none. */
  time: Date;
  chain: string;
  blockNumber: bigint;
  wallet: string;
  kind: (typeof trades.$inferSelect)['kind'];
  legs: TradeLegRow[];
  /** The trade's USD value as stored when it was recorded; null when it was not priced. */
  usdValue: string | null;
  counterparty: string | null;
  /** The network fee paid, in raw units of the chain's native coin. */
  fee: bigint;
};

/**
 * The whole trade history of some wallets, oldest first. Failed transactions (gas only), spam and
 * trades undone by a reorg are left out.
 */
export async function loadPnlTrades(db: Db, walletKeys: readonly WalletKey[]): Promise<PnlTradeRow[]> {
  if (walletKeys.length === 0) return [];
  const scope = or(...walletKeys.map((key) => and(eq(trades.chain, key.chain), eq(trades.wallet, key.address))));
  const legScope = or(...walletKeys.map((key) => and(eq(balanceChanges.chain, key.chain), eq(balanceChanges.wallet, key.address))));
  const rows = await db
    .select()
    .from(trades)
    .where(and(scope, eq(trades.failed, false), eq(trades.isSpam, false), isNull(trades.revertedAt)))
    .orderBy(asc(sql`coalesce(${trades.blockTime}, ${trades.createdAt})`), asc(trades.blockNumber), asc(trades.txIndex), asc(trades.id));
  if (rows.length === 0) return [];
  const txHashes = [...new Set(rows.map((row) => row.txHash))];
  const legs = await db
    .select({ change: balanceChanges, symbol: tokens.symbol, decimals: tokens.decimals })
    .from(balanceChanges)
    .leftJoin(tokens, and(eq(tokens.chain, balanceChanges.chain), eq(tokens.address, balanceChanges.asset)))
    .where(and(legScope, inArray(balanceChanges.txHash, txHashes)));
  const byTrade = new Map<string, TradeLegRow[]>();
  for (const leg of legs) {
    const key = `${leg.change.chain}|${leg.change.txHash}|${leg.change.wallet}`;
    byTrade.set(key, [...(byTrade.get(key) ?? []), { asset: leg.change.asset, symbol: leg.symbol, decimals: leg.decimals, amount: leg.change.amount }]);
  }
  return rows.map((row) => ({
    id: row.id,
    txHash: row.txHash,
    time: row.blockTime ?? row.createdAt,
    chain: row.chain,
    blockNumber: row.blockNumber,
    wallet: row.wallet,
    kind: row.kind,
    legs: byTrade.get(`${row.chain}|${row.txHash}|${row.wallet}`) ?? [],
    usdValue: row.usdValue,
    counterparty: row.counterparty,
    fee: row.fee,
  }));
}

/** The price of a chain's native coin stored for a block (any source), with the coin's decimals. */
export type NativePriceAt = { decimals: number; priceUsd: string };

/**
 * The stored native price of each block that trades paid a fee in, keyed by `chain|block`; `nativeAsset` is how
 * balance changes and prices name the native coin. Blocks without a stored price, or chains whose native coin has
 * no token row, are left out.
 */
export async function nativePricesAtBlocks(
  db: Db,
  nativeAsset: string,
  paid: readonly { chain: string; blockNumber: bigint }[],
): Promise<Map<string, NativePriceAt>> {
  const found = new Map<string, NativePriceAt>();
  if (paid.length === 0) return found;
  const chains = [...new Set(paid.map((row) => row.chain))];
  const natives = await db
    .select({ chain: tokens.chain, decimals: tokens.decimals })
    .from(tokens)
    .where(and(inArray(tokens.chain, chains), eq(tokens.address, nativeAsset)));
  const decimals = new Map(natives.map((row) => [row.chain, row.decimals]));
  const blocks = [...new Set(paid.map((row) => row.blockNumber))];
  const quotes = await db
    .select({ chain: prices.chain, blockNumber: prices.blockNumber, priceUsd: prices.priceUsd })
    .from(prices)
    .where(and(inArray(prices.chain, chains), eq(prices.asset, nativeAsset), inArray(prices.blockNumber, blocks)));
  for (const quote of quotes) {
    const places = decimals.get(quote.chain);
    if (places !== undefined) found.set(`${quote.chain}|${quote.blockNumber}`, { decimals: places, priceUsd: quote.priceUsd });
  }
  return found;
}

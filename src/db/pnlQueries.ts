import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { PnlTrade } from '../tracker/pnl/types.js';
import type { Db } from './openDatabase.js';
import { Rational } from '../tracker/pnl/Rational.js';
import { NATIVE } from '../tracker/walletDeltas.js';
import { balanceChanges, prices, tokens, trades } from './schema.js';

export type WalletKey = { chain: string; address: string };

/**
 * The whole trade history of some wallets, oldest first, as the PnL engine reads it. Failed transactions
 * (gas only), spam and trades undone by a reorg are left out.
 */
export async function loadPnlTrades(db: Db, walletKeys: WalletKey[]): Promise<PnlTrade[]> {
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
  const byTrade = new Map<string, typeof legs>();
  for (const leg of legs) {
    const key = `${leg.change.chain}|${leg.change.txHash}|${leg.change.wallet}`;
    byTrade.set(key, [...(byTrade.get(key) ?? []), leg]);
  }
  const feeUsd = await nativeFeeValues(db, rows);
  return rows.map((row) => ({
    id: String(row.id),
    tx: row.txHash,
    time: row.blockTime ?? row.createdAt,
    chain: row.chain,
    wallet: row.wallet,
    kind: row.kind,
    legs: (byTrade.get(`${row.chain}|${row.txHash}|${row.wallet}`) ?? []).map((leg) => ({
      asset: leg.change.asset,
      symbol: leg.symbol,
      decimals: leg.decimals ?? 0,
      amount: leg.change.amount,
    })),
    usd: row.usdValue,
    counterparty: row.counterparty,
    feeUsd: feeUsd.get(row.id) ?? null,
    feeUnpriced: row.fee > 0n && !feeUsd.has(row.id),
    manual: false,
  }));
}

type FeeRow = { id: number; chain: string; blockNumber: bigint; fee: bigint };

/**
 * The USD value of each trade's network fee, from the native price stored for its block (any
 * source); trades without a fee, or whose block has no stored native price, are left out.
 */
async function nativeFeeValues(db: Db, rows: readonly FeeRow[]): Promise<Map<number, string>> {
  const paid = rows.filter((row) => row.fee > 0n);
  const values = new Map<number, string>();
  if (paid.length === 0) return values;
  const chains = [...new Set(paid.map((row) => row.chain))];
  const natives = await db
    .select({ chain: tokens.chain, decimals: tokens.decimals })
    .from(tokens)
    .where(and(inArray(tokens.chain, chains), eq(tokens.address, NATIVE)));
  const decimals = new Map(natives.map((row) => [row.chain, row.decimals]));
  const blocks = [...new Set(paid.map((row) => row.blockNumber))];
  const quotes = await db
    .select({ chain: prices.chain, blockNumber: prices.blockNumber, priceUsd: prices.priceUsd })
    .from(prices)
    .where(and(inArray(prices.chain, chains), eq(prices.asset, NATIVE), inArray(prices.blockNumber, blocks)));
  const priceAt = new Map(quotes.map((row) => [`${row.chain}|${row.blockNumber}`, row.priceUsd]));
  for (const row of paid) {
    const price = priceAt.get(`${row.chain}|${row.blockNumber}`);
    const places = decimals.get(row.chain);
    if (price === undefined || places === undefined) continue;
    values.set(row.id, Rational.fromRaw(row.fee, places).mul(Rational.parse(price)).toDecimalString(40));
  }
  return values;
}

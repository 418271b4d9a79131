import type { ManualTradeListing } from '../db/manualTradeQueries.js';
import { loadPnlTrades, nativePricesAtBlocks, type PnlTradeRow, type WalletKey } from '../db/pnlQueries.js';
import type { Db } from '../db/openDatabase.js';
import { Rational } from '../tracker/pnl/Rational.js';
import type { PnlLeg, PnlTrade } from '../tracker/pnl/types.js';
import { USD_SHARE_DIGITS } from '../tracker/pnl/usdShare.js';
import { NATIVE } from '../tracker/walletDeltas.js';

/**
 * The stored on-chain trades of some wallets as the PnL engine reads them, oldest first, each fee valued at the
 * native price stored for its block (any source); a fee whose block has no stored price is marked unpriced.
 */
export async function onChainPnlTrades(
  db: Db,
  keys: readonly WalletKey[],
  natives: ReadonlyMap<string, { symbol: string; decimals: number }> = new Map(),
): Promise<PnlTrade[]> {
  // Note: a chain's native coin may have no token row (Bitcoin's never has one); its symbol and decimals come from the chain.
  const rows = (await loadPnlTrades(db, keys)).map((row) => {
    const native = natives.get(row.chain);
    if (!native) return row;
    const legs = row.legs.map((leg) => (leg.asset === NATIVE && leg.decimals === null ? { ...leg, symbol: leg.symbol ?? native.symbol, decimals: native.decimals } : leg));
    return { ...row, legs };
  });
  const nativeAt = await nativePricesAtBlocks(db, NATIVE, rows.filter((row) => row.fee > 0n));
  return rows.map((row) => {
    const native = row.fee > 0n ? nativeAt.get(`${row.chain}|${row.blockNumber}`) : undefined;
    return onChainPnlTrade(row, native ? Rational.fromRaw(row.fee, native.decimals).mul(Rational.parse(native.priceUsd)).toDecimalString(USD_SHARE_DIGITS) : null);
  });
}

function onChainPnlTrade(row: PnlTradeRow, feeUsd: string | null): PnlTrade {
  return {
    id: String(row.id),
    tx: row.txHash,
    time: row.time,
    chain: row.chain,
    wallet: row.wallet,
    kind: row.kind,
    // Note: a token whose decimals were never read counts its raw units, as before.
    legs: row.legs.map((leg) => ({ asset: leg.asset, symbol: leg.symbol, decimals: leg.decimals ?? 0, amount: leg.amount })),
    usd: row.usdValue,
    counterparty: row.counterparty,
    feeUsd,
    feeUnpriced: row.fee > 0n && feeUsd === null,
    manual: false,
  };
}

/** A manual trade as a trade of the PnL engine: the token leg, and the quote leg when the total was not in USD. */
export function manualPnlTrade(row: ManualTradeListing): PnlTrade {
  const sign = row.side === 'buy' ? 1n : -1n;
  const legs: PnlLeg[] = [{ asset: row.asset, symbol: row.symbol, decimals: row.decimals, amount: sign * row.amount }];
  // A total in USD or a stablecoin is money, already the trade's USD value; any other asset was paid or received.
  if (row.usdValue === null) legs.push({ asset: row.quoteAsset, symbol: row.quoteSymbol, decimals: row.quoteDecimals, amount: -sign * row.quoteAmount });
  return {
    id: `manual-${row.id}`,
    tx: `manual-${row.id}`,
    time: row.tradedAt,
    chain: row.chain,
    wallet: row.wallet,
    kind: row.side,
    legs,
    usd: row.usdValue,
    counterparty: null,
    feeUsd: row.feeUsd,
    feeUnpriced: (row.feeAmount ?? 0n) > 0n && row.feeUsd === null,
    manual: true,
  };
}

import { explorerUrl, type ChainConfig } from '../../config/chainPresets.js';
import type { AlertTrade } from '../../db/alertQueries.js';
import { toDecimalString } from '../../tracker/formatAmount.js';
import { Rational } from '../../tracker/pnl/Rational.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import { NATIVE, type TradeKind } from '../../tracker/walletDeltas.js';

/** One asset of an alert, in whole units as an exact decimal string. */
export type AlertLeg = { asset: string; symbol: string; amount: string; raw: bigint; decimals: number | null };

/** A trade alert, free of any platform: the console, Telegram and Discord render it. */
export type AlertView = {
  type: 'trade' | 'correction';
  chain: string;
  tx: string;
  wallet: string;
  label: string;
  kind: TradeKind;
  sent: AlertLeg[];
  received: AlertLeg[];
  usd: string | null;
  /** USD price of one whole unit of the base asset (what was bought or sold). */
  priceUsd: string | null;
  /** Symbol of the base asset, for the price. */
  baseSymbol: string | null;
  venue: string | null;
  counterparty: string | null;
  time: Date | null;
  txUrl: string | null;
  walletUrl: string | null;
  /** Something the amounts above do not say and the reader must know, in one sentence; null when nothing. */
  note: string | null;
};

/** Builds the alert of a stored trade as one workspace sees it (its label for the wallet). */
export function alertView(trade: AlertTrade, type: AlertView['type'], chain: ChainConfig | undefined): AlertView {
  const legs = trade.changes.map((change): AlertLeg => {
    const native = change.asset === NATIVE;
    const decimals = change.decimals ?? (native && chain ? chain.nativeDecimals : null);
    const raw = change.amount < 0n ? -change.amount : change.amount;
    const symbol = change.symbol ?? (native ? (chain?.nativeSymbol ?? 'native') : shortAddress(change.asset));
    return {
      asset: change.asset,
      // Note: said in the symbol so that every renderer shows it next to the raw amount.
      symbol: decimals === null ? `${symbol} (raw units, decimals unknown)` : symbol,
      amount: decimals === null ? raw.toString() : toDecimalString(raw, decimals),
      raw,
      decimals,
    };
  });
  const signOf = (asset: string) => trade.changes.find((change) => change.asset === asset)!.amount;
  const base = legs.find((leg) => leg.asset === trade.baseAsset);
  const priceUsd =
    trade.usdValue !== null && base && base.decimals !== null && base.raw > 0n && trade.kind !== 'transfer_in' && trade.kind !== 'transfer_out'
      ? Rational.parse(trade.usdValue).div(Rational.fromRaw(base.raw, base.decimals)).toDecimalString(12)
      : null;
  return {
    type,
    chain: trade.chain,
    tx: trade.txHash,
    wallet: trade.wallet,
    label: trade.label ?? shortAddress(trade.wallet),
    kind: trade.kind,
    sent: legs.filter((leg) => signOf(leg.asset) < 0n),
    received: legs.filter((leg) => signOf(leg.asset) > 0n),
    usd: trade.usdValue,
    priceUsd,
    baseSymbol: base?.symbol ?? null,
    venue: trade.venue,
    counterparty: trade.counterparty,
    time: trade.blockTime,
    txUrl: chain ? explorerUrl(chain, 'tx', trade.txHash) : null,
    walletUrl: chain ? explorerUrl(chain, 'address', trade.wallet) : null,
    note: unsplitNote(trade, chain),
  };
}

/** Says that native coin moved inside calls could not be given to one of several transactions of the block. */
function unsplitNote(trade: AlertTrade, chain: ChainConfig | undefined): string | null {
  if (trade.unsplitNative === null || trade.unsplitNative === 0n) return null;
  const amount = trade.unsplitNative < 0n ? -trade.unsplitNative : trade.unsplitNative;
  const symbol = chain?.nativeSymbol ?? 'native coin';
  const whole = chain ? toDecimalString(amount, chain.nativeDecimals) : `${amount} raw units of`;
  return (
    `${whole} ${symbol} ${trade.unsplitNative > 0n ? 'received' : 'sent'} inside calls in this block is not shown above: ` +
    'it is shared with this wallet\'s other transactions of the block, and the node has no call traces to split it.'
  );
}

/** The alert as the console's `--json` prints it: one object per alert. */
export function alertJson(view: AlertView): Record<string, unknown> {
  const leg = (l: AlertLeg) => ({ asset: l.asset, symbol: l.symbol, amount: l.amount });
  return {
    type: view.type,
    chain: view.chain,
    tx: view.tx,
    wallet: view.wallet,
    label: view.label,
    kind: view.kind,
    sent: view.sent.map(leg),
    received: view.received.map(leg),
    usd: view.usd,
    venue: view.venue,
    time: view.time?.toISOString() ?? null,
    ...(view.note ? { note: view.note } : {}),
  };
}

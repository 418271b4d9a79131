import { explorerUrl, type ChainConfig } from '../../config/chainPresets.js';
import type { AlertTrade } from '../../db/alertQueries.js';
import { toDecimalString } from '../../tracker/formatAmount.js';
import { Rational } from '../../tracker/pnl/Rational.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import { NATIVE, type TradeKind } from '../../tracker/walletDeltas.js';
import { alertAsset, type AlertContext, type AlertSale } from '../../usecases/alertContext.js';
import { signalJson, type SignalView } from './signalView.js';
import { chartLink, tokenExplorerUrl, type ChartLink } from './tokenLinks.js';

/** One asset of an alert, in whole units as an exact decimal string. */
export type AlertLeg = { asset: string; symbol: string; amount: string; raw: bigint; decimals: number | null };

/** The token an alert is about: its symbol, its contract (null for the native coin), and where to look at it. */
export type AlertToken = { asset: string; symbol: string; contract: string | null; explorerUrl: string | null; chart: ChartLink | null };

/** The wallet's holding of the alert's token after the trade; exact, formatted by each renderer. */
export type AlertHolding = {
  raw: bigint;
  /** Null when the token's decimals are unknown: the amount is shown in raw units. */
  decimals: number | null;
  /** At the trade's price; null when the trade was not priced. */
  valueUsd: Rational | null;
  /** The trade brought the token in and the wallet never held it before. */
  firstBuy: boolean;
};

export type { AlertSale } from '../../usecases/alertContext.js';

/**
 * A trade alert, free of any platform: the console, Telegram and Discord render it. A `signal` carries the
 * multi-wallet buy signal that its trade (the buy that raised it) completed, and renders as that signal.
 */
export type AlertView = {
  type: 'trade' | 'correction' | 'signal';
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
  /** The token bought, sold or moved; null when the trade is about several. */
  token: AlertToken | null;
  /** Null for a correction, or when nothing was read about the position. */
  holding: AlertHolding | null;
  /** Set on a priced sale. */
  sale: AlertSale | null;
  /** Something the amounts above do not say and the reader must know, in one sentence; null when nothing. */
  note: string | null;
  /** Set on a `signal`: what every renderer shows instead of the trade. */
  signal?: SignalView;
  /**
   * True when the trade was seen only in a block being built (a Flashblocks preconfirmation), not yet sealed; on a
   * correction, that the preconfirmed transaction did not land as alerted (rather than a reorg).
   */
  preconfirmed?: boolean;
};

/**
 * Builds the alert of a stored trade as one workspace sees it (its label for the wallet), with the position
 * around it when `context` gives it.
 */
export function alertView(trade: AlertTrade, type: AlertView['type'], chain: ChainConfig | undefined, context?: AlertContext): AlertView {
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
  const price =
    trade.usdValue !== null && base && base.decimals !== null && base.raw > 0n && trade.kind !== 'transfer_in' && trade.kind !== 'transfer_out'
      ? Rational.parse(trade.usdValue).div(Rational.fromRaw(base.raw, base.decimals))
      : null;
  const asset = alertAsset(trade);
  const tokenLeg = legs.find((leg) => leg.asset === asset);
  const position = type === 'trade' ? context?.position : undefined;
  const holdingDecimals = tokenLeg?.decimals ?? null;
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
    priceUsd: price?.toDecimalString(12) ?? null,
    baseSymbol: base?.symbol ?? null,
    venue: trade.venue,
    counterparty: trade.counterparty,
    time: trade.blockTime,
    txUrl: chain ? explorerUrl(chain, 'tx', trade.txHash) : null,
    walletUrl: chain ? explorerUrl(chain, 'address', trade.wallet) : null,
    token:
      asset !== null && tokenLeg
        ? {
            asset,
            symbol: tokenLeg.symbol,
            contract: asset === NATIVE ? null : asset,
            explorerUrl: chain ? tokenExplorerUrl(chain, asset) : null,
            chart: chain ? chartLink(chain, asset) : null,
          }
        : null,
    holding: position
      ? {
          raw: position.after,
          decimals: holdingDecimals,
          valueUsd:
            price && holdingDecimals !== null && asset === trade.baseAsset && position.after >= 0n ? price.mul(Rational.fromRaw(position.after, holdingDecimals)) : null,
          firstBuy: position.firstBuy,
        }
      : null,
    sale: type === 'trade' && context?.sale ? { ...context.sale } : null,
    note: unsplitNote(trade, chain),
    ...(trade.preconfirmed ? { preconfirmed: true } : {}),
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

/** The alert as the console's `--json` prints it and webhooks send it: one object per alert; amounts exact. */
export function alertJson(view: AlertView): Record<string, unknown> {
  if (view.signal) return signalJson(view.signal);
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
    priceUsd: view.priceUsd,
    venue: view.venue,
    time: view.time?.toISOString() ?? null,
    token: view.token ? { asset: view.token.asset, symbol: view.token.symbol, contract: view.token.contract, chart: view.token.chart?.url ?? null } : null,
    holding: view.holding
      ? {
          amount: view.holding.decimals === null ? view.holding.raw.toString() : toDecimalString(view.holding.raw, view.holding.decimals),
          valueUsd: view.holding.valueUsd?.toFixed(2) ?? null,
          firstBuy: view.holding.firstBuy,
        }
      : null,
    sale: view.sale
      ? {
          method: view.sale.method,
          realizedUsd: view.sale.realizedUsd.toFixed(2),
          unknownProceedsUsd: view.sale.unknownProceedsUsd.toFixed(2),
          soldPercent: view.sale.soldShare?.mul(Rational.of(100n)).toDecimalString(2) ?? null,
        }
      : null,
    ...(view.note ? { note: view.note } : {}),
    ...(view.preconfirmed ? { preconfirmed: true } : {}),
  };
}

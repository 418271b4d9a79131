import { formatAmount, formatUsd } from '../../tracker/formatAmount.js';
import { Rational } from '../../tracker/pnl/Rational.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import type { AlertLeg, AlertView } from './alertView.js';
import { signalLine } from './signalView.js';

/** `1,000 MEME`: a leg for people, grouped and trimmed. */
export function legText(leg: AlertLeg): string {
  const amount = leg.decimals === null ? leg.raw.toString() : formatAmount(leg.raw, leg.decimals);
  return `${amount} ${leg.symbol}`;
}

const list = (legs: AlertLeg[]) => legs.map(legText).join(' + ') || 'nothing';

/** What happened, in words: `BUY 1,000 MEME for 2.5 ETH`. */
export function alertAction(view: AlertView): string {
  const { sent, received } = view;
  switch (view.kind) {
    case 'buy':
      return `BUY ${list(received)} for ${list(sent)}`;
    case 'sell':
      return `SELL ${list(sent)} for ${list(received)}`;
    case 'swap':
      return `SWAP ${list(sent)} for ${list(received)}`;
    case 'transfer_in':
      return `RECEIVED ${list(received)}${view.counterparty ? ` from ${shortAddress(view.counterparty)}` : ''}`;
    case 'transfer_out':
      return `SENT ${list(sent)}${view.counterparty ? ` to ${shortAddress(view.counterparty)}` : ''}`;
    case 'wrap':
      return `WRAP ${list(sent)} into ${list(received)}`;
    case 'unwrap':
      return `UNWRAP ${list(sent)} into ${list(received)}`;
    case 'other':
      return `OTHER sent ${list(sent)}, received ${list(received)}`;
  }
}

/** A signed USD amount for a PnL: `+$120.00`, `-$4.50`. */
export function signedUsd(value: Rational): string {
  const cents = value.toFixed(2);
  return cents.startsWith('-') ? formatUsd(cents) : `+${formatUsd(cents)}`;
}

/** The price of one whole token, in cents or to four significant decimals: `$0.40 per MEME`, `$0.0001234 per PEPE`; null when unpriced. */
export function priceText(view: AlertView): string | null {
  if (view.priceUsd === null) return null;
  const [whole = '0', fraction = ''] = view.priceUsd.split('.');
  const digits = whole === '0' ? fraction.search(/[1-9]/) + 4 : 4;
  const price = `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0').slice(0, Math.max(2, digits))}`;
  return `$${price} per ${view.baseSymbol ?? 'token'}`;
}

/** The holding after the trade: `holds 14,880 MEME ($2,500.00)`, `holds no MEME now`; null when unknown. */
export function holdingText(view: AlertView): string | null {
  const { holding, token } = view;
  if (!holding || !token) return null;
  if (holding.raw === 0n) return `holds no ${token.symbol} now`;
  // Note: tokens held before Lookout followed the wallet are not in its history; a holding below zero is not shown as one.
  if (holding.raw < 0n) return `holding of ${token.symbol} unknown: more was sent out than Lookout saw come in`;
  const amount = holding.decimals === null ? holding.raw.toString() : formatAmount(holding.raw, holding.decimals);
  const value = holding.valueUsd ? ` (${formatUsd(holding.valueUsd.toFixed(2))})` : '';
  return `holds ${amount} ${token.symbol}${value}`;
}

/**
 * What a sale realized and how much of the position went: `realized +$120.00 (FIFO) · sold 50% of the position`;
 * the part sold from tokens of unknown cost is named, since its gain is not counted. Null when not a priced sale.
 */
export function saleText(view: AlertView): string | null {
  const { sale } = view;
  if (!sale) return null;
  const method = sale.method === 'fifo' ? 'FIFO' : 'average cost';
  const unknown = sale.unknownProceedsUsd.sign() > 0 ? `, ${formatUsd(sale.unknownProceedsUsd.toFixed(2))} of it from tokens of unknown cost, not counted` : '';
  const share =
    sale.soldShare === null
      ? ''
      : sale.soldShare.eq(Rational.ONE)
        ? ' · sold the whole position'
        : ` · sold ${sale.soldShare.mul(Rational.of(100n)).toDecimalString(1)}% of the position`;
  return `realized ${signedUsd(sale.realizedUsd)} (${method}${unknown})${share}`;
}

/** The console's line: `[base] whale BUY 1,000 MEME for 2.5 ETH ($8,250.00) · 0xab12…cd34 · MEME 0x… · holds 1,000 MEME ($8,250.00) · first buy`. */
export function alertLine(view: AlertView): string {
  if (view.signal) return signalLine(view.signal);
  const tail = `(${formatUsd(view.usd)})${view.venue ? ` on ${view.venue}` : ''} · ${shortAddress(view.tx)}`;
  const facts = view.type === 'trade' ? positionFacts(view) : [];
  const body = `${view.label} ${alertAction(view)} ${tail}${facts.map((fact) => ` · ${fact}`).join('')}${view.note ? ` · ${view.note}` : ''}`;
  if (view.type === 'correction') return `[${view.chain}] CORRECTION: ${correctionCause(view)} ${body}`;
  return view.preconfirmed ? `[${view.chain}] PRECONFIRMED ${body}` : `[${view.chain}] ${body}`;
}

/** Why a correction takes a trade back: a reorg, or a preconfirmed transaction that did not land as alerted. */
export function correctionCause(view: AlertView): string {
  return view.preconfirmed ? 'the sealed block did not confirm the preconfirmed' : 'a reorg dropped';
}

/** The mark every renderer puts on an alert of a transaction preconfirmed but not yet in a sealed block. */
export const PRECONFIRMED_MARK = '⚡ preconfirmed, block not sealed yet';

/** The facts after the action, in the order every renderer shows them: price, token, holding, first buy, sale. */
function positionFacts(view: AlertView): string[] {
  const facts: string[] = [];
  const price = priceText(view);
  if (price) facts.push(price);
  if (view.token?.contract) facts.push(`${view.token.symbol} ${view.token.contract}`);
  const holding = holdingText(view);
  if (holding) facts.push(holding);
  if (view.holding?.firstBuy) facts.push('first buy');
  const sale = saleText(view);
  if (sale) facts.push(sale);
  return facts;
}

import { formatAmount, formatUsd } from '../../tracker/formatAmount.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import type { AlertLeg, AlertView } from './alertView.js';

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

/** The console's line: `[base] whale1 BUY 1,000 MEME for 2.5 ETH ($8,250.00) · 0xab12…cd34`. */
export function alertLine(view: AlertView): string {
  const tail = `(${formatUsd(view.usd)})${view.venue ? ` on ${view.venue}` : ''} · ${shortAddress(view.tx)}`;
  const body = `${view.label} ${alertAction(view)} ${tail}${view.note ? ` · ${view.note}` : ''}`;
  return view.type === 'correction'
    ? `[${view.chain}] CORRECTION: a reorg dropped ${body}`
    : `[${view.chain}] ${body}`;
}

import { alertAction, holdingText, PRECONFIRMED_MARK, priceText, saleText, signedUsd } from '../alerts/alertHeadline.js';
import { ALERT_ICONS } from '../alerts/alertIcons.js';
import type { AlertView } from '../alerts/alertView.js';
import type { Line, Reply } from '../reply.js';
import { formatUsd } from '../../tracker/formatAmount.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import { fitTelegramHtml, TELEGRAM_TEXT_LIMIT } from './fitTelegramHtml.js';
import { signalHeadline, signalWalletText, signalWithdrawnNote, type SignalView } from '../alerts/signalView.js';

/** Escapes text for Telegram's HTML parse mode: every user-supplied string goes through it. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function lineHtml(line: Line): string {
  if (typeof line === 'string') return escapeHtml(line);
  return line
    .map((span) => {
      let text = escapeHtml(span.text);
      if (span.code) text = `<code>${text}</code>`;
      if (span.bold) text = `<b>${text}</b>`;
      if (span.url) text = `<a href="${escapeHtml(span.url)}">${text}</a>`;
      return text;
    })
    .join('');
}

/** A command's reply as a Telegram HTML message. */
export function replyHtml(reply: Reply): string {
  const parts: string[] = [];
  if (reply.title) parts.push(`<b>${escapeHtml(reply.title)}</b>`);
  for (const line of reply.lines) parts.push(lineHtml(line));
  for (const field of reply.fields ?? []) parts.push(`<b>${escapeHtml(field.name)}</b>: ${escapeHtml(field.value)}`);
  return fitTelegramHtml(parts.join('\n'));
}

/** One trade alert: one headline, then USD and price, the token and its address, the position, chain and links. */
export function alertHtml(alert: AlertView): string {
  if (alert.signal) return signalHtml(alert.signal);
  const label = `<b>${escapeHtml(alert.label)}</b>`;
  const action = escapeHtml(alertAction(alert));
  const price = priceText(alert);
  const lines = [
    alert.type === 'correction'
      ? `⚠️ Correction: ${alert.preconfirmed ? 'the sealed block did not confirm this preconfirmed' : 'a chain reorg dropped this'} trade of ${label}: ${action}`
      : `${ALERT_ICONS[alert.kind]} ${label} ${action}`,
    ...(alert.type === 'trade' && alert.preconfirmed ? [escapeHtml(PRECONFIRMED_MARK)] : []),
    alert.usd === null
      ? '💵 unpriced: no USD price was found for this trade'
      : `💵 ${escapeHtml(formatUsd(alert.usd))}${price ? ` · ${escapeHtml(price)}` : ''}`,
    ...(alert.type === 'trade' ? positionLines(alert) : []),
    `⛓ ${escapeHtml(alert.chain)}${alert.venue ? ` · ${escapeHtml(alert.venue)}` : ''}${alert.time ? ` · ${alert.time.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''}`,
    links(alert),
    ...(alert.note ? [`ℹ️ ${escapeHtml(alert.note)}`] : []),
  ];
  return lines.filter((line) => line !== '').join('\n');
}

/** The token with its copyable address, the holding after the trade, and what a sale realized. */
function positionLines(alert: AlertView): string[] {
  const lines: string[] = [];
  if (alert.token?.contract) lines.push(`🪙 ${escapeHtml(alert.token.symbol)} <code>${escapeHtml(alert.token.contract)}</code>`);
  const holding = holdingText(alert);
  if (holding || alert.holding?.firstBuy) {
    lines.push(`💼 ${[holding ? escapeHtml(capitalize(holding)) : null, alert.holding?.firstBuy ? '🆕 first buy' : null].filter(Boolean).join(' · ')}`);
  }
  const sale = saleText(alert);
  if (sale) lines.push(`${alert.sale!.realizedUsd.sign() < 0 ? '📉' : '📈'} ${escapeHtml(capitalize(sale))}`);
  return lines;
}

const capitalize = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** Several alerts folded into one message, so a burst never exceeds the chat's limits and nothing is dropped; each keeps its USD value. */
export function alertSummaryHtml(alerts: AlertView[]): string {
  const head = `<b>${alerts.length} new trade${alerts.length === 1 ? '' : 's'}</b>`;
  const rows = alerts.map((alert) => {
    if (alert.signal) return signalSummaryHtml(alert.signal);
    const prefix =
      alert.type === 'correction'
        ? alert.preconfirmed
          ? '⚠️ preconfirmed, not confirmed: '
          : '⚠️ dropped by a reorg: '
        : `${ALERT_ICONS[alert.kind]} ${alert.preconfirmed ? '⚡ ' : ''}`;
    const tx = alert.txUrl ? ` <a href="${escapeHtml(alert.txUrl)}">tx</a>` : '';
    const facts = alert.type === 'trade' ? [alert.holding?.firstBuy ? 'first buy' : null, alert.sale ? `realized ${signedUsd(alert.sale.realizedUsd)}` : null].filter(Boolean) : [];
    const extra = facts.length ? ` · ${escapeHtml(facts.join(' · '))}` : '';
    return `${prefix}<b>${escapeHtml(alert.label)}</b> ${escapeHtml(alertAction(alert))} (${escapeHtml(formatUsd(alert.usd))})${extra} [${escapeHtml(alert.chain)}]${tx}`;
  });
  return [head, ...rows].join('\n');
}

/** The size a folded summary may take: Telegram refuses messages over 4096 characters. */
export const MAX_MESSAGE_LENGTH = TELEGRAM_TEXT_LIMIT;

function links(alert: AlertView): string {
  const parts: string[] = [];
  if (alert.txUrl) parts.push(`<a href="${escapeHtml(alert.txUrl)}">transaction</a>`);
  if (alert.walletUrl) parts.push(`<a href="${escapeHtml(alert.walletUrl)}">${escapeHtml(shortAddress(alert.wallet))}</a>`);
  if (alert.type === 'trade' && alert.token?.explorerUrl) parts.push(`<a href="${escapeHtml(alert.token.explorerUrl)}">token</a>`);
  if (alert.type === 'trade' && alert.token?.chart) parts.push(`<a href="${escapeHtml(alert.token.chart.url)}">${escapeHtml(alert.token.chart.name)}</a>`);
  return parts.join(' · ');
}

/** A multi-wallet buy signal as a Telegram HTML message: the headline, one line per wallet, the total, the token and links. */
export function signalHtml(view: SignalView): string {
  const note = signalWithdrawnNote(view);
  const lines = [
    note ? `↩️ <b>Signal withdrawn</b>: ${escapeHtml(signalHeadline(view))}` : `🚨 <b>Signal</b>: ${escapeHtml(signalHeadline(view))}`,
    ...(note ? [`<b>${escapeHtml(note)}</b>`] : []),
    ...view.wallets.map((wallet) => {
      const text = escapeHtml(signalWalletText(view, wallet));
      return `• ${wallet.walletUrl ? `<a href="${escapeHtml(wallet.walletUrl)}">${text}</a>` : text}`;
    }),
    `💵 total ${escapeHtml(formatUsd(view.totalUsd))}`,
    ...(view.token.contract ? [`🪙 ${escapeHtml(view.token.symbol)} <code>${escapeHtml(view.token.contract)}</code>`] : []),
    `⛓ ${escapeHtml(view.chain)} · since ${view.windowStart.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    signalLinks(view),
  ];
  return fitTelegramHtml(lines.filter((line) => line !== '').join('\n'));
}

/** One signal as a row of a folded summary. */
export function signalSummaryHtml(view: SignalView): string {
  if (view.withdrawn) return `↩️ <b>Signal withdrawn</b>: ${escapeHtml(signalHeadline(view))} [${escapeHtml(view.chain)}]`;
  return `🚨 <b>Signal</b>: ${escapeHtml(signalHeadline(view))} (${escapeHtml(formatUsd(view.totalUsd))}) [${escapeHtml(view.chain)}]`;
}

function signalLinks(view: SignalView): string {
  const parts: string[] = [];
  if (view.txUrl) parts.push(`<a href="${escapeHtml(view.txUrl)}">last buy</a>`);
  if (view.token.explorerUrl) parts.push(`<a href="${escapeHtml(view.token.explorerUrl)}">token</a>`);
  if (view.token.chart) parts.push(`<a href="${escapeHtml(view.token.chart.url)}">${escapeHtml(view.token.chart.name)}</a>`);
  return parts.join(' · ');
}

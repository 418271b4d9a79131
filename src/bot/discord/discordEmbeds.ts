import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { ALERT_ICONS } from '../alerts/alertIcons.js';
import { clipText } from '../../text/clipText.js';
import { formatUsd } from '../../tracker/formatAmount.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import { alertAction, holdingText, PRECONFIRMED_MARK, priceText, saleText } from '../alerts/alertHeadline.js';
import type { AlertView } from '../alerts/alertView.js';
import type { Line, Reply, ReplyTone } from '../reply.js';
import { DISCORD_LIMITS, escapeDiscord } from './discordText.js';
import { signalEmbed } from './signalEmbed.js';

const COLORS: Record<ReplyTone, number> = {
  neutral: 0x5865f2,
  info: 0x5865f2,
  success: 0x2ecc71,
  buy: 0x2ecc71,
  sell: 0xe74c3c,
  error: 0xe67e22,
};

function lineMarkdown(line: Line): string {
  if (typeof line === 'string') return escapeDiscord(line);
  return line
    .map((span) => {
      let text = escapeDiscord(span.text);
      if (span.code) text = `\`${span.text.replaceAll('`', "'")}\``;
      if (span.bold) text = `**${text}**`;
      if (span.url) text = `[${text}](${span.url})`;
      return text;
    })
    .join('');
}

/**
 * A command's reply as an embed; user-supplied text is escaped so it shows as typed, and every part is
 * cut to Discord's limits, the 6,000 characters of the whole embed included.
 */
export function replyEmbed(reply: Reply): EmbedBuilder {
  const embed = new EmbedBuilder().setColor(COLORS[reply.tone]);
  let budget: number = DISCORD_LIMITS.embedTotal;
  if (reply.title) {
    const title = clipText(escapeDiscord(reply.title), DISCORD_LIMITS.title);
    embed.setTitle(title);
    budget -= title.length;
  }
  const description = reply.lines.map(lineMarkdown).join('\n');
  if (description) {
    const shown = clipText(description, Math.min(DISCORD_LIMITS.description, budget));
    embed.setDescription(shown);
    budget -= shown.length;
  }
  for (const field of (reply.fields ?? []).slice(0, DISCORD_LIMITS.fields)) {
    const name = clipText(escapeDiscord(field.name), DISCORD_LIMITS.fieldName) || '—';
    const value = clipText(escapeDiscord(field.value), DISCORD_LIMITS.fieldValue) || '—';
    if (name.length + value.length > budget) break;
    budget -= name.length + value.length;
    embed.addFields({ name, value, inline: field.inline ?? false });
  }
  return embed;
}

const capitalize = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/**
 * A trade alert as an embed, green for buys and red for sells: one headline, the token with its address as
 * inline code and its links, then USD, price, the holding after the trade and, on a sale, what it realized.
 */
export function alertEmbed(alert: AlertView): EmbedBuilder {
  if (alert.signal) return signalEmbed(alert.signal);
  const correction = alert.type === 'correction';
  const cause = alert.preconfirmed ? '⚠️ Preconfirmed, not confirmed:' : '⚠️ Dropped by a reorg:';
  const headline = `${correction ? cause : ALERT_ICONS[alert.kind]} ${alert.label} ${alertAction(alert)}`;
  const embed = new EmbedBuilder()
    .setTitle(clipText(escapeDiscord(headline), DISCORD_LIMITS.title))
    .setColor(correction ? 0xf1c40f : alert.kind === 'buy' ? 0x2ecc71 : alert.kind === 'sell' ? 0xe74c3c : 0x5865f2);
  const description = correction ? [] : tokenLines(alert);
  const links = linkLine(alert);
  if (links) description.push(links);
  if (description.length) embed.setDescription(clipText(description.join('\n'), DISCORD_LIMITS.description));
  const price = priceText(alert);
  embed.addFields(
    { name: 'USD', value: formatUsd(alert.usd), inline: true },
    { name: 'Price', value: price ? clipText(escapeDiscord(price), DISCORD_LIMITS.fieldValue) : '—', inline: true },
  );
  const holding = correction ? null : holdingText(alert);
  if (holding) embed.addFields({ name: 'Holding after', value: clipText(escapeDiscord(capitalize(holding)), DISCORD_LIMITS.fieldValue), inline: true });
  const sale = correction ? null : saleText(alert);
  if (sale) embed.addFields({ name: 'Realized PnL', value: clipText(escapeDiscord(capitalize(sale)), DISCORD_LIMITS.fieldValue), inline: false });
  embed
    .addFields({ name: 'Chain', value: alert.chain, inline: true }, { name: 'Venue', value: alert.venue ?? '—', inline: true })
    .setFooter({ text: `Wallet ${shortAddress(alert.wallet)}` });
  if (!correction && alert.preconfirmed) embed.addFields({ name: 'Status', value: PRECONFIRMED_MARK });
  if (alert.note) embed.addFields({ name: 'Note', value: alert.note.slice(0, 1024) });
  if (alert.txUrl) embed.setURL(alert.txUrl);
  if (alert.time) embed.setTimestamp(alert.time);
  return embed;
}

/** The token and its address as inline code (copyable), and `first buy`. */
function tokenLines(alert: AlertView): string[] {
  const lines: string[] = [];
  if (alert.token?.contract) lines.push(`🪙 ${escapeDiscord(alert.token.symbol)} \`${alert.token.contract}\``);
  if (alert.holding?.firstBuy) lines.push('🆕 First buy');
  return lines;
}

function linkLine(alert: AlertView): string {
  const links: string[] = [];
  if (alert.txUrl) links.push(`[transaction](${alert.txUrl})`);
  if (alert.walletUrl) links.push(`[wallet](${alert.walletUrl})`);
  if (alert.type === 'trade' && alert.token?.explorerUrl) links.push(`[token](${alert.token.explorerUrl})`);
  if (alert.type === 'trade' && alert.token?.chart) links.push(`[${alert.token.chart.name}](${alert.token.chart.url})`);
  return links.join(' · ');
}

/** The button under an alert that shows that wallet's PnL. */
export function pnlButtonRow(wallet: string): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`pnl:${wallet}`).setLabel('PnL').setEmoji('📊').setStyle(ButtonStyle.Secondary),
  );
}

import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import { clipText } from '../../text/clipText.js';
import { formatUsd } from '../../tracker/formatAmount.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import { legText } from '../alerts/alertHeadline.js';
import type { AlertView } from '../alerts/alertView.js';
import type { Line, Reply, ReplyTone } from '../reply.js';
import { DISCORD_LIMITS, escapeDiscord } from './discordText.js';

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

const ACTIONS: Record<AlertView['kind'], string> = {
  buy: '🟢 BUY',
  sell: '🔴 SELL',
  swap: '🔁 SWAP',
  transfer_in: '📥 RECEIVED',
  transfer_out: '📤 SENT',
  wrap: '🎁 WRAP',
  unwrap: '📦 UNWRAP',
  other: '⚙️ OTHER',
};

/** A trade alert as an embed: green for buys, red for sells, with amounts, USD, price, chain, venue and time. */
export function alertEmbed(alert: AlertView): EmbedBuilder {
  const correction = alert.type === 'correction';
  const embed = new EmbedBuilder()
    .setTitle(clipText(`${correction ? '⚠️ Dropped by a reorg: ' : ''}${ACTIONS[alert.kind]} · ${escapeDiscord(alert.label)}`, DISCORD_LIMITS.title))
    .setColor(correction ? 0xf1c40f : alert.kind === 'buy' ? 0x2ecc71 : alert.kind === 'sell' ? 0xe74c3c : 0x5865f2)
    .addFields(
      { name: 'Sent', value: clipText(alert.sent.map(legText).join('\n'), DISCORD_LIMITS.fieldValue) || '—', inline: true },
      { name: 'Received', value: clipText(alert.received.map(legText).join('\n'), DISCORD_LIMITS.fieldValue) || '—', inline: true },
      { name: 'USD', value: formatUsd(alert.usd), inline: true },
      { name: 'Price', value: alert.priceUsd ? clipText(`$${alert.priceUsd} per ${escapeDiscord(alert.baseSymbol ?? 'token')}`, DISCORD_LIMITS.fieldValue) : '—', inline: true },
      { name: 'Chain', value: alert.chain, inline: true },
      { name: 'Venue', value: alert.venue ?? '—', inline: true },
    )
    .setFooter({ text: `Wallet ${shortAddress(alert.wallet)}` });
  if (alert.note) embed.addFields({ name: 'Note', value: alert.note.slice(0, 1024) });
  if (alert.txUrl) embed.setURL(alert.txUrl);
  if (alert.time) embed.setTimestamp(alert.time);
  return embed;
}

/** The button under an alert that shows that wallet's PnL. */
export function pnlButtonRow(wallet: string): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`pnl:${wallet}`).setLabel('PnL').setEmoji('📊').setStyle(ButtonStyle.Secondary),
  );
}

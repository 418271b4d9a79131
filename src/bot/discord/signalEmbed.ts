import { EmbedBuilder } from 'discord.js';
import { signalHeadline, signalWalletText, signalWithdrawnNote, type SignalView } from '../alerts/signalView.js';
import { clipText } from '../../text/clipText.js';
import { formatUsd } from '../../tracker/formatAmount.js';
import { DISCORD_LIMITS, escapeDiscord } from './discordText.js';

/**
 * A multi-wallet buy signal as an orange embed: the headline, one line per wallet, the total, the token and its
 * links; withdrawn, a grey one that says why first.
 */
export function signalEmbed(view: SignalView): EmbedBuilder {
  const note = signalWithdrawnNote(view);
  const description = view.wallets.map((wallet) => {
    const text = escapeDiscord(signalWalletText(view, wallet));
    return `• ${wallet.walletUrl ? `[${text}](${wallet.walletUrl})` : text}`;
  });
  if (view.token.contract) description.push(`🪙 ${escapeDiscord(view.token.symbol)} \`${view.token.contract}\``);
  const links = [
    view.token.explorerUrl ? `[token](${view.token.explorerUrl})` : null,
    view.token.chart ? `[${view.token.chart.name}](${view.token.chart.url})` : null,
  ].filter(Boolean);
  if (links.length) description.push(links.join(' · '));
  if (note) description.unshift(`**${escapeDiscord(note)}**`);
  const embed = new EmbedBuilder()
    .setTitle(clipText(escapeDiscord(`${note ? '↩️ Signal withdrawn' : '🚨 Signal'}: ${signalHeadline(view)}`), DISCORD_LIMITS.title))
    .setColor(note ? 0x95a5a6 : 0xf39c12)
    .setDescription(clipText(description.join('\n'), DISCORD_LIMITS.description))
    .addFields(
      { name: 'Total USD', value: formatUsd(view.totalUsd), inline: true },
      { name: 'Chain', value: view.chain, inline: true },
      { name: 'Window', value: `${view.minWallets}+ wallets from ${view.windowStart.toISOString().slice(0, 16).replace('T', ' ')} UTC`, inline: true },
    )
    .setTimestamp(view.windowStart);
  if (view.txUrl) embed.setURL(view.txUrl);
  return embed;
}

import { ChannelType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { TRADE_KINDS } from '../../tracker/walletDeltas.js';

const manage = PermissionFlagsBits.ManageGuild;

/** The slash commands, as registered with Discord. Changing ones need Manage Server (checked again on every use). */
export function discordCommands(chains: string[]) {
  const chainChoices = chains.slice(0, 25).map((name) => ({ name, value: name }));
  return [
    new SlashCommandBuilder()
      .setName('track')
      .setDescription('Track a wallet on an EVM chain or Solana')
      .setDefaultMemberPermissions(manage)
      .setDMPermission(false)
      .addStringOption((o) => o.setName('address').setDescription('0x address or Solana address').setRequired(true))
      .addStringOption((o) => o.setName('label').setDescription('A short name, such as whale_1').setMaxLength(32))
      .addStringOption((o) => o.setName('chain').setDescription('One chain (default: every followed chain of its kind)').addChoices(...chainChoices)),
    new SlashCommandBuilder()
      .setName('untrack')
      .setDescription('Stop tracking a wallet')
      .setDefaultMemberPermissions(manage)
      .setDMPermission(false)
      .addStringOption((o) => o.setName('wallet').setDescription('Label or address').setRequired(true).setAutocomplete(true)),
    new SlashCommandBuilder().setName('wallets').setDescription('List tracked wallets').setDMPermission(false),
    new SlashCommandBuilder()
      .setName('group')
      .setDescription('Sort wallets into groups')
      .setDMPermission(false)
      .addSubcommand((s) => s.setName('create').setDescription('Create a group').addStringOption((o) => o.setName('name').setDescription('Group name').setRequired(true).setMaxLength(32)))
      .addSubcommand((s) => s.setName('delete').setDescription('Delete a group (its wallets stay tracked)').addStringOption((o) => o.setName('name').setDescription('Group').setRequired(true).setAutocomplete(true)))
      .addSubcommand((s) =>
        s
          .setName('add')
          .setDescription('Add a wallet to a group')
          .addStringOption((o) => o.setName('group').setDescription('Group').setRequired(true).setAutocomplete(true))
          .addStringOption((o) => o.setName('wallet').setDescription('Label or address').setRequired(true).setAutocomplete(true)),
      )
      .addSubcommand((s) =>
        s
          .setName('remove')
          .setDescription('Remove a wallet from a group')
          .addStringOption((o) => o.setName('group').setDescription('Group').setRequired(true).setAutocomplete(true))
          .addStringOption((o) => o.setName('wallet').setDescription('Label or address').setRequired(true).setAutocomplete(true)),
      )
      .addSubcommand((s) => s.setName('list').setDescription('List groups and their wallets')),
    new SlashCommandBuilder()
      .setName('pnl')
      .setDescription('Profit and loss with a chart')
      .setDMPermission(false)
      .addStringOption((o) => o.setName('target').setDescription('A group or a wallet (default: all)').setAutocomplete(true))
      .addStringOption((o) =>
        o.setName('window').setDescription('Period of realized PnL').addChoices(...['24h', '7d', '30d', 'all'].map((w) => ({ name: w, value: w }))),
      )
      .addStringOption((o) =>
        o
          .setName('method')
          .setDescription('Cost basis method')
          .addChoices({ name: 'FIFO', value: 'fifo' }, { name: 'average cost', value: 'average' }),
      ),
    new SlashCommandBuilder()
      .setName('trades')
      .setDescription('Latest trades')
      .setDMPermission(false)
      .addStringOption((o) => o.setName('target').setDescription('A group or a wallet (default: all)').setAutocomplete(true)),
    new SlashCommandBuilder()
      .setName('alerts')
      .setDescription('Where alerts go')
      .setDefaultMemberPermissions(manage)
      .setDMPermission(false)
      .addSubcommand((s) =>
        s
          .setName('route')
          .setDescription('Send alerts of a group (or all) to a channel')
          .addChannelOption((o) => o.setName('channel').setDescription('Channel').setRequired(true).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement))
          .addStringOption((o) => o.setName('group').setDescription('Group (default: all wallets)').setAutocomplete(true))
          .addNumberOption((o) => o.setName('min_usd').setDescription('Only trades worth at least this many USD').setMinValue(0))
          .addStringOption((o) => o.setName('types').setDescription(`Kinds, comma-separated: ${TRADE_KINDS.join(', ')}`.slice(0, 100))),
      )
      .addSubcommand((s) => s.setName('list').setDescription('List alert routes'))
      .addSubcommand((s) =>
        s
          .setName('remove')
          .setDescription('Remove an alert route')
          .addIntegerOption((o) => o.setName('route').setDescription('Route number from /alerts list').setRequired(true).setMinValue(1)),
      ),
  ].map((builder) => builder.toJSON());
}

/** Uses that change tracking or routing, checked on every interaction whatever the declared permissions say. */
export function needsManageServer(command: string, subcommand: string | null): boolean {
  if (command === 'track' || command === 'untrack') return true;
  if (command === 'group') return subcommand !== 'list';
  if (command === 'alerts') return subcommand !== 'list';
  return false;
}

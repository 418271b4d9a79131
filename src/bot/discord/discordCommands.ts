import { ChannelType, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { TRADE_KINDS } from '../../tracker/walletDeltas.js';
import { changesWorkspace, chatCommand, type ChatCommandName } from '../chatCommands.js';

const manage = PermissionFlagsBits.ManageGuild;

/** A command's one-line help, from the command table that Telegram's menu and /help read too. */
const describe = (name: ChatCommandName) => chatCommand(name)!.description;

/** The slash commands, as registered with Discord. Changing ones need Manage Server (checked again on every use). */
export function discordCommands(chains: string[]) {
  const chainChoices = chains.slice(0, 25).map((name) => ({ name, value: name }));
  return [
    new SlashCommandBuilder()
      .setName('track')
      .setDescription(describe('track'))
      .setDefaultMemberPermissions(manage)
      .setDMPermission(false)
      .addStringOption((o) => o.setName('address').setDescription('0x address or Solana address').setRequired(true))
      .addStringOption((o) => o.setName('label').setDescription('A short name, such as whale_1').setMaxLength(32))
      .addStringOption((o) => o.setName('chain').setDescription('One chain (default: every followed chain of its kind)').addChoices(...chainChoices)),
    new SlashCommandBuilder()
      .setName('untrack')
      .setDescription(describe('untrack'))
      .setDefaultMemberPermissions(manage)
      .setDMPermission(false)
      .addStringOption((o) => o.setName('wallet').setDescription('Label or address').setRequired(true).setAutocomplete(true)),
    new SlashCommandBuilder().setName('wallets').setDescription(describe('wallets')).setDMPermission(false),
    new SlashCommandBuilder().setName('gas').setDescription(describe('gas')).setDMPermission(false),
    new SlashCommandBuilder()
      .setName('group')
      .setDescription(describe('group'))
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
      .setDescription(describe('pnl'))
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
      .setDescription(describe('trades'))
      .setDMPermission(false)
      .addStringOption((o) => o.setName('target').setDescription('A group or a wallet (default: all)').setAutocomplete(true))
      .addBooleanOption((o) => o.setName('csv').setDescription('Every trade as a CSV file, with realized PnL per sale')),
    new SlashCommandBuilder()
      .setName('trade')
      .setDescription(describe('trade'))
      .setDefaultMemberPermissions(manage)
      .setDMPermission(false)
      .addSubcommand((s) =>
        s
          .setName('add')
          .setDescription('Record a trade made off chain (over the counter, on an exchange)')
          .addStringOption((o) => o.setName('side').setDescription('Bought or sold').setRequired(true).addChoices({ name: 'buy', value: 'buy' }, { name: 'sell', value: 'sell' }))
          .addStringOption((o) => o.setName('amount').setDescription('How much of the token, such as 2 or 0.5').setRequired(true).setMaxLength(80))
          .addStringOption((o) => o.setName('token').setDescription("The token's address, or a symbol on a manual wallet").setRequired(true).setMaxLength(80))
          .addStringOption((o) => o.setName('for').setDescription('The total and what it was paid in, such as 20 USD').setRequired(true).setMaxLength(100))
          .addStringOption((o) => o.setName('fee').setDescription('A fee paid, such as 0.5 USD').setMaxLength(100))
          .addStringOption((o) => o.setName('at').setDescription('When, as ISO-8601 time (default: now)').setMaxLength(40))
          .addStringOption((o) => o.setName('wallet').setDescription('Label of the wallet').setAutocomplete(true))
          .addStringOption((o) => o.setName('chain').setDescription('Chain of the wallet, when its label is on several').addChoices(...chainChoices))
          .addStringOption((o) => o.setName('note').setDescription('A note kept with the trade').setMaxLength(500)),
      )
      .addSubcommand((s) =>
        s
          .setName('remove')
          .setDescription('Remove a manual trade')
          .addIntegerOption((o) => o.setName('id').setDescription('The number the trade was recorded with').setRequired(true).setMinValue(1)),
      ),
    new SlashCommandBuilder()
      .setName('alerts')
      .setDescription(describe('alerts'))
      .setDefaultMemberPermissions(manage)
      .setDMPermission(false)
      .addSubcommand((s) => s.setName('show').setDescription('Show the alert settings'))
      .addSubcommand((s) => s.setName('on').setDescription('Turn alerts on'))
      .addSubcommand((s) => s.setName('off').setDescription('Turn alerts off'))
      .addSubcommand((s) =>
        s
          .setName('min')
          .setDescription('Only alert trades worth at least this many USD (0 for none)')
          .addNumberOption((o) => o.setName('usd').setDescription('Minimum in USD').setRequired(true).setMinValue(0)),
      )
      .addSubcommand((s) =>
        s
          .setName('types')
          .setDescription('Only alert these kinds of trade')
          .addStringOption((o) => o.setName('types').setDescription(`Kinds, comma-separated: ${TRADE_KINDS.join(', ')}`.slice(0, 100)).setRequired(true)),
      )
      .addSubcommand((s) =>
        s
          .setName('method')
          .setDescription('How PnL counts the cost of what was sold')
          .addStringOption((o) =>
            o.setName('method').setDescription('Cost basis method').setRequired(true).addChoices({ name: 'FIFO', value: 'fifo' }, { name: 'average cost', value: 'average' }),
          ),
      )
      .addSubcommand((s) =>
        s
          .setName('route')
          .setDescription('Send alerts of a group (or all) to a channel')
          .addChannelOption((o) => o.setName('channel').setDescription('Channel').setRequired(true).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement))
          .addStringOption((o) => o.setName('group').setDescription('Group (default: all wallets)').setAutocomplete(true))
          .addNumberOption((o) => o.setName('min_usd').setDescription('Only trades worth at least this many USD').setMinValue(0))
          .addStringOption((o) => o.setName('types').setDescription(`Kinds, comma-separated: ${TRADE_KINDS.join(', ')}`.slice(0, 100)))
          .addStringOption((o) => o.setName('signal').setDescription('Group buy signal: wallets/window such as 3/1h (the default), or off').setMaxLength(20)),
      )
      .addSubcommand((s) =>
        s
          .setName('webhook')
          .setDescription('Post alerts of a group (or all) to a signed webhook')
          .addStringOption((o) => o.setName('url').setDescription('The https URL to POST each alert to').setRequired(true).setMaxLength(500))
          .addStringOption((o) => o.setName('secret').setDescription('Signs each POST (Lookout-Signature); 16 to 200 characters').setRequired(true).setMinLength(16).setMaxLength(200))
          .addStringOption((o) => o.setName('group').setDescription('Group (default: all wallets)').setAutocomplete(true))
          .addNumberOption((o) => o.setName('min_usd').setDescription('Only trades worth at least this many USD').setMinValue(0))
          .addStringOption((o) => o.setName('types').setDescription(`Kinds, comma-separated: ${TRADE_KINDS.join(', ')}`.slice(0, 100)))
          .addStringOption((o) => o.setName('signal').setDescription('Group buy signal: wallets/window such as 3/1h (the default), or off').setMaxLength(20)),
      )
      .addSubcommand((s) => s.setName('list').setDescription('List alert routes'))
      .addSubcommand((s) =>
        s
          .setName('remove')
          .setDescription('Remove an alert route')
          .addIntegerOption((o) => o.setName('route').setDescription('Route number from /alerts list').setRequired(true).setMinValue(1)),
      ),
    // Note: the answer to /exchange is ephemeral, so that the options typed (the key and secret) are seen by no one else.
    new SlashCommandBuilder()
      .setName('exchange')
      .setDescription(describe('exchange'))
      .setDefaultMemberPermissions(manage)
      .setDMPermission(false)
      .addSubcommand((s) =>
        s
          .setName('add')
          .setDescription('Add a read-only API key; only you see this command and its answer')
          .addStringOption((o) => o.setName('exchange').setDescription('The exchange').setRequired(true).addChoices({ name: 'Binance', value: 'binance' }, { name: 'Coinbase Exchange', value: 'coinbase' }))
          .addStringOption((o) => o.setName('label').setDescription('A short name, such as binance_main').setRequired(true).setMaxLength(32))
          .addStringOption((o) => o.setName('key').setDescription('The API key (read-only)').setRequired(true).setMaxLength(512))
          .addStringOption((o) => o.setName('secret').setDescription('The API secret').setRequired(true).setMaxLength(4096))
          .addStringOption((o) => o.setName('passphrase').setDescription('The passphrase of a Coinbase Exchange key').setMaxLength(512)),
      )
      .addSubcommand((s) => s.setName('list').setDescription('List exchange accounts'))
      .addSubcommand((s) =>
        s
          .setName('remove')
          .setDescription('Remove an exchange account and its key')
          .addStringOption((o) => o.setName('label').setDescription('Label of the account').setRequired(true).setMaxLength(32)),
      ),
  ].map((builder) => builder.toJSON());
}

/** Uses that change tracking, routing or settings, as the command table marks them; checked on every interaction whatever the declared permissions say. */
export function needsManageServer(command: string, subcommand: string | null): boolean {
  return changesWorkspace(command, subcommand);
}

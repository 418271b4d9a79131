import type { ChatInputCommandInteraction } from 'discord.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { targetOf, type ChatAnswer } from '../chat/runChatCommand.js';
import type { CommandContext } from '../commandContext.js';
import { alertRoutes } from '../commands/alertRoutes.js';
import { alertSettings } from '../commands/alertSettings.js';
import { exchange } from '../commands/exchange.js';
import { gas } from '../commands/gas.js';
import { group } from '../commands/group.js';
import { pnl } from '../commands/pnl.js';
import { track } from '../commands/track.js';
import { trade } from '../commands/trade.js';
import { trades } from '../commands/trades.js';
import { tradesCsv } from '../commands/tradesCsv.js';
import { untrack } from '../commands/untrack.js';
import { walletsCommand } from '../commands/wallets.js';

/** Maps a slash command's options onto the platform-free command; the steps before it did the rest. */
export async function runDiscordCommand(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<ChatAnswer> {
  const options = interaction.options;
  const sub = options.getSubcommand(false);
  const string = (name: string) => options.getString(name) ?? undefined;
  // Note: Discord sends numbers as JSON numbers; the text keeps what was typed, for the exact decimal.
  const decimal = (name: string) => {
    const value = options.getNumber(name);
    return value === null ? undefined : String(value);
  };
  switch (interaction.commandName) {
    case 'track':
      return track(ctx, { address: options.getString('address', true), label: string('label'), chain: string('chain') });
    case 'untrack':
      return untrack(ctx, { wallet: options.getString('wallet', true) });
    case 'wallets':
      return walletsCommand(ctx);
    case 'gas':
      return gas(ctx);
    case 'group':
      if (sub === 'list') return group(ctx, { action: 'list' });
      if (sub === 'create') return group(ctx, { action: sub, name: options.getString('name', true) });
      if (sub === 'delete') return group(ctx, { action: sub, name: options.getString('name', true), describe: describeDestination });
      return group(ctx, { action: sub as 'add' | 'remove', name: options.getString('group', true), wallets: [options.getString('wallet', true)] });
    case 'pnl':
      return pnl(ctx, { ...(await targetOf(ctx, string('target'))), window: string('window'), method: string('method') });
    case 'trades': {
      const target = await targetOf(ctx, string('target'));
      return options.getBoolean('csv') ? tradesCsv(ctx, target) : trades(ctx, { ...target, limit: 15 });
    }
    case 'trade':
      if (sub === 'remove') return trade(ctx, { action: 'remove', id: String(options.getInteger('id', true)) });
      return trade(ctx, {
        action: 'add',
        side: options.getString('side', true),
        amount: options.getString('amount', true),
        token: options.getString('token', true),
        for: options.getString('for', true),
        fee: string('fee'),
        at: string('at'),
        wallet: string('wallet'),
        chain: string('chain'),
        note: string('note'),
      });
    case 'alerts':
      switch (sub) {
        case 'on':
        case 'off':
          return alertSettings(ctx, { action: sub });
        case 'min':
          return alertSettings(ctx, { action: 'min', usd: decimal('usd')! });
        case 'types':
          return alertSettings(ctx, { action: 'types', types: options.getString('types', true) });
        case 'method':
          return alertSettings(ctx, { action: 'method', method: options.getString('method', true) });
        case 'list':
          return alertRoutes(ctx, { action: 'list', describe: describeDestination });
        case 'remove':
          return alertRoutes(ctx, { action: 'remove', routeId: options.getInteger('route', true) });
        case 'route': {
          const channel = options.getChannel('channel', true);
          return alertRoutes(ctx, {
            action: 'route',
            destination: `discord:${channel.id}`,
            destinationName: `<#${channel.id}>`,
            group: string('group'),
            minUsd: decimal('min_usd'),
            types: string('types'),
            signal: string('signal'),
          });
        }
        case 'webhook': {
          const url = options.getString('url', true);
          return alertRoutes(ctx, {
            action: 'route',
            destination: 'webhook',
            destinationName: url,
            webhook: { url, secret: options.getString('secret', true) },
            group: string('group'),
            minUsd: decimal('min_usd'),
            types: string('types'),
            signal: string('signal'),
          });
        }
        default:
          return alertSettings(ctx, { action: 'show' });
      }
    case 'exchange':
      if (sub === 'add') {
        const answer = await exchange(ctx, {
          action: 'add',
          exchange: options.getString('exchange', true),
          label: options.getString('label', true),
          key: options.getString('key', true),
          secret: options.getString('secret', true),
          passphrase: string('passphrase'),
        });
        return { ...answer, ephemeral: true };
      }
      if (sub === 'remove') return { ...(await exchange(ctx, { action: 'remove', label: options.getString('label', true) })), ephemeral: true };
      return { ...(await exchange(ctx, { action: 'list' })), ephemeral: true };
    default:
      throw new UserInputError(`/${interaction.commandName} is not a Lookout command.`);
  }
}

/** How people see a destination in Discord: a channel mention for a channel, else as stored. */
export function describeDestination(destination: string): string {
  return destination.startsWith('discord:') ? `<#${destination.slice('discord:'.length)}>` : destination;
}

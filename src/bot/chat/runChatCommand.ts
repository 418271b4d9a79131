import type { ChartConfig } from '../../charts/ChartConfig.js';
import { isGroupName } from '../../db/nameQueries.js';
import { UserInputError } from '../../errors/LookoutError.js';
import type { CommandContext } from '../commandContext.js';
import { TRADE_KINDS } from '../../tracker/walletDeltas.js';
import { CHAT_COMMANDS } from '../chatCommands.js';
import { alertRoutes } from '../commands/alertRoutes.js';
import { alertSettings } from '../commands/alertSettings.js';
import { exchange } from '../commands/exchange.js';
import { gas } from '../commands/gas.js';
import { group } from '../commands/group.js';
import { pnl, WIN_RATE_HELP } from '../commands/pnl.js';
import { track } from '../commands/track.js';
import { trades } from '../commands/trades.js';
import { tradesCsv, type ReplyFile } from '../commands/tradesCsv.js';
import { trade } from '../commands/trade.js';
import type { TradeAddArgs } from '../commands/parseManualTrade.js';
import { untrack } from '../commands/untrack.js';
import { walletsCommand } from '../commands/wallets.js';
import type { Reply } from '../reply.js';
import { quoteInput } from '../../text/clipText.js';

/** Where a chat command was typed: the destination that `/alerts route here` means, and how people name it. */
export type ChatPlace = { destination: string; name: string; /** A private chat with the bot: only there does it take secrets. */ private?: boolean };

/** What a chat command answers: the reply, and a chart to draw or a file to attach when it has one. */
export type ChatAnswer = Reply & { chart?: ChartConfig | null; file?: ReplyFile };

/** Runs a chat command from its name and the text after it; the same for every chat platform. */
export async function runChatCommand(
  ctx: CommandContext,
  name: string,
  argsText: string,
  here?: ChatPlace,
): Promise<ChatAnswer> {
  const args = argsText.trim().split(/\s+/).filter(Boolean);
  switch (name) {
    case 'start':
    case 'help':
      return helpReply(name === 'start');
    case 'track': {
      const [address, label, chain, ...extra] = args;
      if (!address) throw new UserInputError('Give the address to track: /track <address> [label] [chain]');
      noExtra(extra, '/track <address> [label] [chain]');
      return track(ctx, { address, label, chain });
    }
    case 'untrack': {
      const [wallet, ...extra] = args;
      if (!wallet) throw new UserInputError('Name the wallet to stop tracking: /untrack <label|address>');
      noExtra(extra, '/untrack <label|address>');
      return untrack(ctx, { wallet });
    }
    case 'wallets':
      return walletsCommand(ctx);
    case 'gas':
      noExtra(args, '/gas');
      return gas(ctx);
    case 'group':
      return groupCommand(ctx, args);
    case 'pnl': {
      const window = args.find((arg) => /^(24h|7d|30d|all)$/i.test(arg))?.toLowerCase();
      const targets = args.filter((arg) => arg.toLowerCase() !== window);
      if (targets.length > 1) throw new UserInputError('Name one group or wallet: /pnl [group|wallet] [24h|7d|30d|all]');
      return pnl(ctx, { ...(await targetOf(ctx, targets[0])), window });
    }
    case 'trades': {
      // `csv` first or last: `/trades csv whales` and `/trades whales csv` both export.
      const csv = args.some((arg) => arg.toLowerCase() === 'csv');
      const targets = args.filter((arg) => arg.toLowerCase() !== 'csv');
      if (targets.length > 1) throw new UserInputError('Name one group or wallet: /trades [group|wallet] [csv]');
      const target = await targetOf(ctx, targets[0]);
      return csv ? tradesCsv(ctx, target) : trades(ctx, { ...target, limit: 15 });
    }
    case 'trade': {
      const [action, ...rest] = args;
      if (action?.toLowerCase() === 'remove') {
        noExtra(rest.slice(1), '/trade remove <id>');
        return trade(ctx, { action: 'remove', id: rest[0] });
      }
      if (action?.toLowerCase() !== 'add') throw new UserInputError('Use /trade add <buy|sell> <amount> <token> --for <total> <quote>, or /trade remove <id>.');
      return trade(ctx, { action: 'add', ...parseChatTradeAdd(rest) });
    }
    case 'alerts':
      return alertsCommand(ctx, args, here);
    case 'exchange':
      return exchangeCommand(ctx, args, here);
    default:
      throw new UserInputError(`/${quoteInput(name)} is not a command; send /help for the list.`);
  }
}

async function groupCommand(ctx: CommandContext, args: string[]): Promise<Reply> {
  const [action, name, ...wallets] = args;
  switch (action?.toLowerCase()) {
    case undefined:
    case 'list':
      return group(ctx, { action: 'list' });
    case 'new':
    case 'create':
      if (!name) throw new UserInputError('Name the group: /group new <name>');
      noExtra(wallets, '/group new <name>');
      return group(ctx, { action: 'create', name });
    case 'delete':
      if (!name) throw new UserInputError('Name the group: /group delete <name>');
      noExtra(wallets, '/group delete <name>');
      return group(ctx, { action: 'delete', name });
    case 'add':
    case 'remove':
      if (!name || wallets.length === 0) throw new UserInputError(`Name the group and the wallets: /group ${action.toLowerCase()} <group> <wallet>...`);
      return group(ctx, { action: action.toLowerCase() as 'add' | 'remove', name, wallets });
    default:
      throw new UserInputError(`'${quoteInput(action ?? '')}' is not a group action; use /group new, add, remove, delete or list.`);
  }
}

const ALERTS_USAGE = '/alerts on, off, min <usd>, types <buy,sell,...>, method <fifo|average>, route here|webhook <url> <secret> [group] [min usd] [types] [signal 3/1h|off], routes or remove <id>';

/** `/alerts`: the workspace's alert settings and its routes, under one command on every platform. */
async function alertsCommand(ctx: CommandContext, args: string[], here: ChatPlace | undefined): Promise<Reply> {
  const [action, ...rest] = args;
  const describe = (destination: string) => (destination === here?.destination ? here.name : destination);
  switch (action?.toLowerCase()) {
    case undefined:
    case 'show':
      return alertSettings(ctx, { action: 'show' });
    case 'on':
    case 'off':
      noExtra(rest, `/alerts ${action.toLowerCase()}`);
      return alertSettings(ctx, { action: action.toLowerCase() as 'on' | 'off' });
    case 'min':
      if (rest.length !== 1) throw new UserInputError('Give one amount: /alerts min <usd>, or /alerts min 0 for none.');
      return alertSettings(ctx, { action: 'min', usd: rest[0]! });
    case 'types':
      return alertSettings(ctx, { action: 'types', types: rest.join(',') });
    case 'method':
      return alertSettings(ctx, { action: 'method', method: (rest[0] ?? '').toLowerCase() });
    case 'routes':
    case 'list':
      noExtra(rest, '/alerts routes');
      return alertRoutes(ctx, { action: 'list', describe });
    case 'remove': {
      const [id, ...extra] = rest;
      if (!id || !/^\d{1,9}$/.test(id)) throw new UserInputError('Give the number of the route to remove: /alerts remove <id>, as /alerts routes shows it.');
      noExtra(extra, '/alerts remove <id>');
      return alertRoutes(ctx, { action: 'remove', routeId: Number(id) });
    }
    case 'route': {
      const [where, ...filters] = rest;
      if (where?.toLowerCase() === 'webhook') {
        const [url, secret, ...webhookFilters] = filters;
        if (!url || !secret) throw new UserInputError('Give the URL and a secret: /alerts route webhook <https url> <secret> [group] [min usd] [types].');
        return alertRoutes(ctx, { action: 'route', destination: 'webhook', destinationName: url, webhook: { url, secret }, ...routeFilters(webhookFilters) });
      }
      if (!here || where?.toLowerCase() !== 'here') {
        throw new UserInputError('Alerts are routed to the chat you type in: /alerts route here [group] [min usd] [types] [signal 3/1h|off].');
      }
      return alertRoutes(ctx, { action: 'route', destination: here.destination, destinationName: here.name, ...routeFilters(filters) });
    }
    default:
      throw new UserInputError(`'${quoteInput(action ?? '')}' is not an alerts action; use ${ALERTS_USAGE}.`);
  }
}

/**
 * `[group] [min usd] [types] [signal N/T|off]` in any order: `signal` takes the next word, `3/1h` alone is a signal
 * setting, a number is the minimum, a list of trade kinds the types, another word the group.
 */
function routeFilters(input: string[]): { group?: string; minUsd?: string; types?: string; signal?: string } {
  const filters: { group?: string; minUsd?: string; types?: string; signal?: string } = {};
  const words = [...input];
  for (let index = 0; index < words.length; index++) {
    let word = words[index]!;
    if (word.toLowerCase() === 'signal') {
      const value = words[index + 1];
      if (value === undefined) throw new UserInputError('Say the signal after the word signal: 3/1h (three wallets within an hour) or off.');
      word = value;
      words.splice(index + 1, 1);
      if (filters.signal !== undefined) throw new UserInputError(`Unexpected '${quoteInput(word)}'; the command is /alerts route here [group] [min usd] [types] [signal 3/1h|off].`);
      filters.signal = word;
      continue;
    }
    const slot = /^\d+\/\d+[smhd]$/i.test(word)
      ? 'signal'
      : /^\$?\d/.test(word)
        ? 'minUsd'
        : word.split(',').every((kind) => (TRADE_KINDS as readonly string[]).includes(kind.toLowerCase()))
          ? 'types'
          : 'group';
    if (filters[slot] !== undefined) throw new UserInputError(`Unexpected '${quoteInput(word)}'; the command is /alerts route here [group] [min usd] [types] [signal 3/1h|off].`);
    filters[slot] = slot === 'minUsd' ? word.replace(/^\$/, '') : word;
  }
  return filters;
}

export const EXCHANGE_PRIVATE_ONLY =
  'Exchange keys are added only in a private chat with the bot, never in a group; open a private chat with it and send /exchange add there, with a new read-only key if this one was seen.';

/** `/exchange add|list|remove`: a key is taken only in a private chat; list and remove work anywhere. */
async function exchangeCommand(ctx: CommandContext, args: string[], here: ChatPlace | undefined): Promise<Reply> {
  const [action, ...rest] = args;
  switch (action?.toLowerCase()) {
    case undefined:
    case 'list':
      noExtra(rest, '/exchange list');
      return exchange(ctx, { action: 'list' });
    case 'remove':
      if (rest.length !== 1) throw new UserInputError('Name one account: /exchange remove <label>, as /exchange list shows it.');
      return exchange(ctx, { action: 'remove', label: rest[0] });
    case 'add': {
      if (!here?.private) throw new UserInputError(EXCHANGE_PRIVATE_ONLY);
      const [name, label, key, secret, passphrase, ...extra] = rest;
      // Note: never quoted back: the extra words may hold a secret.
      if (extra.length > 0) throw new UserInputError('Too many words; the command is /exchange add <binance|coinbase> <label> <key> <secret> [passphrase].');
      return exchange(ctx, { action: 'add', exchange: name, label, key, secret, passphrase });
    }
    default:
      throw new UserInputError(`'${quoteInput(action ?? '')}' is not an exchange action; use /exchange add, list or remove.`);
  }
}

/** A target names a group when one has that name, otherwise a wallet. */
export async function targetOf(ctx: CommandContext, target: string | undefined): Promise<{ wallet?: string; group?: string }> {
  if (target === undefined) return {};
  return (await isGroupName(ctx.db, ctx.workspaceId, target)) ? { group: target } : { wallet: target };
}

const TRADE_OPTIONS: Record<string, number> = { for: 2, fee: 2, at: 1, wallet: 1, chain: 1, note: Number.POSITIVE_INFINITY };

/** `/trade add` words read with the command line's options: `--for 20 USD`, `--note` up to the next option. */
function parseChatTradeAdd(words: string[]): TradeAddArgs {
  const positionals: string[] = [];
  const options: Record<string, string> = {};
  // Chat apps turn a typed -- into a dash.
  words = words.map((word) => word.replace(/^[—–]-?/, '--'));
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const name = word.startsWith('--') ? word.slice(2).toLowerCase() : undefined;
    if (name === undefined) {
      positionals.push(word);
      continue;
    }
    const arity = TRADE_OPTIONS[name];
    if (arity === undefined) throw new UserInputError(`/trade add has no option ${word}; its options are --for, --fee, --at, --wallet, --chain and --note.`);
    const values: string[] = [];
    while (values.length < arity && index + 1 < words.length && !words[index + 1]!.startsWith('--')) values.push(words[++index]!);
    if (values.length === 0 || (Number.isFinite(arity) && values.length < arity)) {
      throw new UserInputError(`--${name} needs ${arity === 2 ? 'an amount and an asset, as in --' + name + ' 20 USD' : 'a value'}.`);
    }
    options[name] = values.join(' ');
  }
  const [side, amount, token, ...extra] = positionals;
  noExtra(extra, '/trade add <buy|sell> <amount> <token> --for <total> <quote>');
  return { side: side?.toLowerCase(), amount, token, for: options.for, fee: options.fee, at: options.at, wallet: options.wallet, chain: options.chain, note: options.note };
}

function noExtra(extra: string[], usage: string): void {
  if (extra.length > 0) throw new UserInputError(`Unexpected '${quoteInput(extra.join(' '))}'; the command is ${usage}`);
}

function helpReply(welcome: boolean): Reply {
  return {
    title: welcome ? 'Lookout watches wallets for this chat' : 'Lookout commands',
    tone: 'info',
    lines: [
      ...(welcome ? ['Track a wallet and every trade it makes on Base, Sonic, Ethereum or Solana is posted here.'] : []),
      ...CHAT_COMMANDS.filter((command) => command.name !== 'start').map((command) => `${command.usage}: ${command.description}`),
      'In groups, only administrators change tracking and settings; everyone can read.',
      WIN_RATE_HELP,
    ],
  };
}

import { and, eq, sql } from 'drizzle-orm';
import type { ChartConfig } from '../../charts/ChartConfig.js';
import { groups } from '../../db/schema.js';
import { UserInputError } from '../../errors/LookoutError.js';
import type { CommandContext } from '../commandContext.js';
import { alertSettings } from '../commands/alertSettings.js';
import { group } from '../commands/group.js';
import { pnl, WIN_RATE_HELP } from '../commands/pnl.js';
import { track } from '../commands/track.js';
import { trades } from '../commands/trades.js';
import { trade } from '../commands/trade.js';
import type { TradeAddArgs } from '../commands/parseManualTrade.js';
import { untrack } from '../commands/untrack.js';
import { walletsCommand } from '../commands/wallets.js';
import type { Reply } from '../reply.js';
import { quoteInput } from '../../text/clipText.js';

/** The chat commands, their one-line help, and whether they change the workspace (admins only in groups). */
export const CHAT_COMMANDS = [
  { name: 'start', usage: '/start', description: 'What Lookout does and how to begin', changes: false },
  { name: 'help', usage: '/help', description: 'List the commands', changes: false },
  { name: 'track', usage: '/track <address> [label] [chain]', description: 'Track a wallet', changes: true },
  { name: 'untrack', usage: '/untrack <label|address>', description: 'Stop tracking a wallet', changes: true },
  { name: 'wallets', usage: '/wallets', description: 'List tracked wallets', changes: false },
  { name: 'group', usage: '/group new|add|remove|delete|list ...', description: 'Sort wallets into groups', changes: true },
  { name: 'pnl', usage: '/pnl [group|wallet] [24h|7d|30d|all]', description: 'Profit and loss with a chart', changes: false },
  { name: 'trades', usage: '/trades [group|wallet]', description: 'Latest trades', changes: false },
  {
    name: 'trade',
    usage: '/trade add <buy|sell> <amount> <token> --for <total> <quote> [--fee <amount> <quote>] [--at <time>] [--wallet <label>] [--note TEXT] | /trade remove <id>',
    description: 'Record a trade made off chain, or remove one',
    changes: true,
  },
  { name: 'alerts', usage: '/alerts on|off|min <usd>|types <buy,sell,...>', description: 'Alert settings', changes: true },
] as const;

export type ChatCommandName = (typeof CHAT_COMMANDS)[number]['name'];

/** Whether this use of a command changes tracking or settings; listing and reading never do. */
export function changesWorkspace(name: string, argsText: string): boolean {
  const first = argsText.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (name === 'group') return first !== 'list' && first !== '';
  if (name === 'alerts') return first !== '' && first !== 'show';
  return CHAT_COMMANDS.find((command) => command.name === name)?.changes ?? false;
}

/** Runs a chat command from its name and the text after it; the same for every chat platform. */
export async function runChatCommand(ctx: CommandContext, name: string, argsText: string): Promise<Reply & { chart?: ChartConfig | null }> {
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
    case 'group':
      return groupCommand(ctx, args);
    case 'pnl': {
      const window = args.find((arg) => /^(24h|7d|30d|all)$/i.test(arg))?.toLowerCase();
      const targets = args.filter((arg) => arg.toLowerCase() !== window);
      if (targets.length > 1) throw new UserInputError('Name one group or wallet: /pnl [group|wallet] [24h|7d|30d|all]');
      return pnl(ctx, { ...(await targetOf(ctx, targets[0])), window });
    }
    case 'trades': {
      if (args.length > 1) throw new UserInputError('Name one group or wallet: /trades [group|wallet]');
      return trades(ctx, { ...(await targetOf(ctx, args[0])), limit: 15 });
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
    case 'alerts': {
      const [action, ...rest] = args;
      switch (action?.toLowerCase()) {
        case undefined:
        case 'show':
          return alertSettings(ctx, { action: 'show' });
        case 'on':
        case 'off':
          return alertSettings(ctx, { action: action.toLowerCase() as 'on' | 'off' });
        case 'min':
          if (rest.length !== 1) throw new UserInputError('Give one amount: /alerts min <usd>, or /alerts min 0 for none.');
          return alertSettings(ctx, { action: 'min', usd: rest[0]! });
        case 'types':
          return alertSettings(ctx, { action: 'types', types: rest.join(',') });
        case 'method':
          return alertSettings(ctx, { action: 'method', method: (rest[0] ?? '').toLowerCase() });
        default:
          throw new UserInputError(`'${quoteInput(action ?? '')}' is not an alerts setting; use /alerts on, off, min <usd> or types <buy,sell,...>.`);
      }
    }
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

/** A target names a group when one has that name, otherwise a wallet. */
export async function targetOf(ctx: CommandContext, target: string | undefined): Promise<{ wallet?: string; group?: string }> {
  if (target === undefined) return {};
  const [found] = await ctx.db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.workspaceId, ctx.workspaceId), sql`lower(${groups.name}) = lower(${target})`));
  return found ? { group: target } : { wallet: target };
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

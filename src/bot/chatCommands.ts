/**
 * One chat command: its name, the one-line help that Telegram's menu, /help and Discord's command list
 * show, its chat usage, and which uses of it change the workspace (admins only). `changes` is `true` when
 * every use changes something, `false` when none does, or the actions (first word on Telegram, subcommand
 * on Discord) that do.
 */
export type ChatCommandSpec = {
  name: string;
  usage: string;
  description: string;
  changes: boolean | readonly string[];
};

/** The chat commands of Telegram and Discord, in the order /help lists them. */
export const CHAT_COMMANDS = [
  { name: 'start', usage: '/start', description: 'What Lookout does and how to begin', changes: false },
  { name: 'help', usage: '/help', description: 'List the commands', changes: false },
  { name: 'track', usage: '/track <address> [label] [chain]', description: 'Track a wallet', changes: true },
  { name: 'untrack', usage: '/untrack <label|address>', description: 'Stop tracking a wallet', changes: true },
  { name: 'wallets', usage: '/wallets', description: 'List tracked wallets', changes: false },
  {
    name: 'group',
    usage: '/group new|add|remove|delete|list ...',
    description: 'Sort wallets into groups',
    changes: ['new', 'create', 'add', 'remove', 'delete'],
  },
  { name: 'pnl', usage: '/pnl [group|wallet] [24h|7d|30d|all]', description: 'Profit and loss with a chart', changes: false },
  { name: 'trades', usage: '/trades [group|wallet] [csv]', description: 'Latest trades, or every trade as a CSV file', changes: false },
  {
    name: 'trade',
    usage: '/trade add <buy|sell> <amount> <token> --for <total> <quote> [--fee <amount> <quote>] [--at <time>] [--wallet <label>] [--note TEXT] | /trade remove <id>',
    description: 'Record a trade made off chain, or remove one',
    changes: true,
  },
  {
    name: 'alerts',
    usage: '/alerts on|off|min <usd>|types <buy,sell,...>|method <fifo|average> | route here|webhook <url> <secret> [group] [min usd] [types] [signal 3/1h|off] | routes | remove <id>',
    description: 'Alert settings and where alerts go',
    changes: ['on', 'off', 'min', 'types', 'method', 'route', 'webhook', 'remove'],
  },
  {
    name: 'exchange',
    usage: '/exchange add <binance|coinbase> <label> <key> <secret> [passphrase] (in a private chat with the bot) | /exchange list | /exchange remove <label>',
    description: 'Read-only exchange accounts (Binance, Coinbase)',
    changes: ['add', 'remove'],
  },
  { name: 'gas', usage: '/gas', description: 'Network fees now on the followed chains', changes: false },
] as const satisfies readonly ChatCommandSpec[];

export type ChatCommandName = (typeof CHAT_COMMANDS)[number]['name'];

/** The table entry of a command, or undefined for a name that is not a chat command. */
export function chatCommand(name: string): ChatCommandSpec | undefined {
  return CHAT_COMMANDS.find((command) => command.name === name);
}

/**
 * Whether a use of a command changes tracking, routing or settings (admins only); `action` is the first
 * word after the command on Telegram, the subcommand on Discord. Listing and reading never change anything.
 */
export function changesWorkspace(name: string, action: string | null | undefined): boolean {
  const changes = chatCommand(name)?.changes ?? false;
  if (typeof changes === 'boolean') return changes;
  return action != null && changes.includes(action.toLowerCase());
}

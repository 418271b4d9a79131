import type { ChatCommandName } from '../bot/chatCommands.js';

/** One option of a command: how `node:util` parseArgs reads it, and how the help names and explains it. */
export type OptionSpec = {
  type: 'string' | 'boolean';
  multiple?: boolean;
  default?: string | boolean | string[];
  /** What the value looks like in the help and in "needs a value" answers, such as `NAME` or `7d`. */
  value?: string;
  /** Takes two values, an amount and an asset (`--for 20 USD`); they are read as one value `20 USD`. */
  pair?: boolean;
  help: string;
};

/** A command of the `lookout` command line: its usage lines, what it does, and its options. */
export type CommandSpec = {
  name: string;
  /** Usage lines after `lookout `, such as `track <address> [--label TEXT]`. */
  usage: string[];
  summary: string;
  options: Record<string, OptionSpec>;
  /** How many positional arguments it takes, at most; `undefined` for any number. */
  maxPositionals?: number;
  /** Text after the options in the command's help. */
  notes?: string[];
  /** The chat command that does the same, whose usage and admin rule the help shows from the chat command table. */
  chat?: ChatCommandName;
};

const workspace: OptionSpec = {
  type: 'string',
  default: 'local',
  value: 'NAME',
  help: 'the workspace (default local); discord:<guild id> or telegram:<chat id> for a chat\'s',
};
const json: OptionSpec = { type: 'boolean', default: false, help: 'answer in JSON' };
const chain: OptionSpec = { type: 'string', value: 'NAME', help: 'one chain: base, sonic, ethereum, solana, bitcoin, stellar or a configured one' };
const walletOption: OptionSpec = { type: 'string', value: 'X', help: 'one wallet, by label or address' };
const groupOption: OptionSpec = { type: 'string', value: 'G', help: 'the wallets of one group' };

/** Every command of the `lookout` command line, in the order the help lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    usage: ['run [--json]'],
    summary: "migrate, then follow the configured chains and print the workspace's alerts",
    options: { json: { ...json, help: 'one JSON object per alert on stdout (logs go to stderr)' }, workspace },
    maxPositionals: 0,
  },
  {
    name: 'migrate',
    usage: ['migrate'],
    summary: 'apply the database migrations and exit',
    options: {},
    maxPositionals: 0,
  },
  {
    name: 'track',
    chat: 'track',
    usage: ['track <address> [--chain NAME] [--label TEXT] [--group NAME] [--since 7d | --from-block N]', 'track --manual <label> [--group NAME]'],
    summary: 'track a wallet; an EVM address without --chain on every followed EVM chain, a Solana address on Solana',
    options: {
      chain,
      manual: { type: 'string', value: 'LABEL', help: 'add a wallet without an address, for trades made off chain (see lookout trade)' },
      label: { type: 'string', value: 'TEXT', help: 'a name for the wallet, 1 to 32 characters (default: the short address)' },
      group: { type: 'string', value: 'NAME', help: 'also add the wallet to this existing group' },
      since: { type: 'string', value: '7d', help: 'also read its history over this long: 24h, 7d, 30d...; stored without alerts' },
      'from-block': { type: 'string', value: 'N', help: 'also read its history from this block (a slot on Solana) on; stored without alerts' },
      workspace,
      json,
    },
    maxPositionals: 1,
  },
  {
    name: 'untrack',
    chat: 'untrack',
    usage: ['untrack <address|label> [--chain NAME]'],
    summary: 'stop tracking a wallet, on every chain or one',
    options: { chain, workspace, json },
    maxPositionals: 1,
  },
  {
    name: 'wallets',
    chat: 'wallets',
    usage: ['wallets [--json]'],
    summary: 'list the tracked wallets with their chains and groups',
    options: { workspace, json },
    maxPositionals: 0,
  },
  {
    name: 'group',
    chat: 'group',
    usage: ['group create|delete <name>', 'group add|remove <name> <wallet...>', 'group list [--json]'],
    summary: 'create, delete and list groups, and add or remove wallets by label or address',
    options: { workspace, json },
    notes: ['Deleting a group keeps its wallets.'],
  },
  {
    name: 'trades',
    chat: 'trades',
    usage: ['trades [--wallet X | --group G] [--since 24h] [--json | --csv]'],
    summary: 'list stored trades, newest first, or export them all as CSV',
    options: {
      wallet: walletOption,
      group: groupOption,
      since: { type: 'string', value: '24h', help: 'only trades this recent: 24h, 7d, 30d...' },
      csv: {
        type: 'boolean',
        default: false,
        help: 'print every trade, on chain and manual, oldest first, as CSV with the realized PnL of each sale',
      },
      workspace,
      json,
    },
    maxPositionals: 0,
  },
  {
    name: 'trade',
    chat: 'trade',
    usage: [
      'trade add <buy|sell> <amount> <token> --for <total> <quote> [--fee <amount> <quote>]',
      '    [--at <ISO-8601 time>] [--wallet <label>] [--chain NAME] [--note TEXT]',
      'trade remove <id>',
    ],
    summary: 'record a trade made off chain (over the counter, on an exchange), or remove one; it counts in PnL',
    options: {
      for: { type: 'string', pair: true, value: '20 USD', help: 'what it was for: an amount and USD, a stablecoin, the native coin or a token' },
      fee: { type: 'string', pair: true, value: '0.5 USD', help: 'the fee paid, counted when the workspace has --fee-basis on' },
      at: { type: 'string', value: '2024-01-01T00:00:00Z', help: 'when it was made (default now); UTC unless a zone is given' },
      wallet: { type: 'string', value: 'LABEL', help: 'the wallet it belongs to (needed when the workspace has several)' },
      chain: { type: 'string', value: 'NAME', help: 'the chain, for a wallet tracked on several' },
      note: { type: 'string', value: 'TEXT', help: 'a note kept with it' },
      workspace,
      json,
    },
    maxPositionals: 4,
    notes: [
      '<token> is a token address Lookout has seen on the wallet\'s chain or its native symbol; on a manual wallet',
      '(lookout track --manual desk), a symbol such as ETH. Example: lookout trade add buy 2 ETH --for 20 USD --wallet desk',
    ],
  },
  {
    name: 'pnl',
    chat: 'pnl',
    usage: [
      'pnl [--wallet X | --group G] [--window 24h|7d|30d|all] [--method fifo|average] [--json]',
      '    [--chart FILE.png] [--chart-type pnl|allocation|value] [--size 800x480]',
    ],
    summary: 'profit and loss of a wallet, a group or the workspace, per token, with an optional chart',
    options: {
      wallet: walletOption,
      group: groupOption,
      window: { type: 'string', value: '24h|7d|30d|all', help: 'the period (default all)' },
      method: { type: 'string', value: 'fifo|average', help: "cost basis method (default: the workspace's setting)" },
      chart: { type: 'string', value: 'FILE.png', help: 'write a PNG chart to this file' },
      'chart-type': { type: 'string', value: 'pnl|allocation|value', help: 'PnL by token (default), allocation, or value over time' },
      size: { type: 'string', value: '800x480', help: 'chart size in pixels' },
      workspace,
      json,
    },
    maxPositionals: 0,
    notes: ['Win rate: closed positions sold at a profit, over all closed positions.'],
  },
  {
    name: 'settings',
    chat: 'alerts',
    usage: ['settings [--alerts on|off] [--min-usd N] [--types buy,sell,...] [--pnl-method fifo|average] [--fee-basis on|off] [--json]'],
    summary: "show or change the workspace's alert filters and PnL method",
    options: {
      alerts: { type: 'string', value: 'on|off', help: 'turn alerts on or off' },
      'min-usd': { type: 'string', value: 'N', help: 'alert only trades worth at least N USD (0: no minimum)' },
      types: {
        type: 'string',
        value: 'buy,sell,...',
        help: 'alert only these kinds: buy, sell, swap, transfer_in, transfer_out, wrap, unwrap, other, or all',
      },
      'pnl-method': { type: 'string', value: 'fifo|average', help: 'the PnL method of the workspace' },
      'fee-basis': { type: 'string', value: 'on|off', help: 'add fees to the cost basis and deduct them from proceeds (off by default)' },
      workspace,
      json,
    },
    maxPositionals: 0,
  },
  {
    name: 'alerts',
    chat: 'alerts',
    usage: [
      'alerts route <console|telegram:<chat id>|discord:<channel id>> [--group G] [--min-usd N] [--types buy,sell,...]',
      '    [--signal 3/1h|off]',
      'alerts route --webhook <https URL> --secret S [--group G] [--min-usd N] [--types buy,sell,...] [--signal 3/1h|off]',
      'alerts list [--json]',
      'alerts remove <id>',
    ],
    summary: "route alerts (all, or a group's with its multi-wallet buy signal) to a chat, the console or a signed webhook; list and remove routes",
    options: {
      webhook: { type: 'string', value: 'URL', help: 'post each alert as JSON to this http(s) URL' },
      secret: { type: 'string', value: 'S', help: 'signs each POST (Lookout-Signature); 16 to 200 characters, never shown again' },
      group: { type: 'string', value: 'G', help: "only this group's wallets" },
      'min-usd': { type: 'string', value: 'N', help: 'alert only trades worth at least N USD (0: no minimum)' },
      types: { type: 'string', value: 'buy,sell,...', help: 'alert only these kinds of trade, or all' },
      signal: {
        type: 'string',
        value: '3/1h|off',
        help: 'with --group: raise one signal when this many of its wallets buy the same token within this long (default 3/1h)',
      },
      workspace,
      json,
    },
    maxPositionals: 2,
    notes: [
      'A group route raises its signal once per burst: the window starts at the first buy counted, and no new signal',
      'for that token starts before it ends. A signal that went out stays sent if a reorg later undoes one of its buys.',
      'Routing to the same webhook URL and group again updates that route, and resumes it when paused. See README.md (Webhooks).',
    ],
  },
  {
    name: 'gas',
    chat: 'gas',
    usage: ['gas [--json]'],
    summary: 'network fees now on each followed chain: slow, normal and fast, and what a transfer and a swap cost in USD',
    options: { workspace, json },
    maxPositionals: 0,
    notes: [
      'EVM: eth_feeHistory over the last 20 blocks, the 10th, 50th and 90th percentiles of priority fees plus the next',
      "block's base fee, in gwei; a transfer is 21,000 gas, a swap assumed 150,000. Solana: the 25th, 50th and 75th",
      'percentiles of getRecentPrioritizationFees in micro-lamports per compute unit, plus 5,000 lamports a signature;',
      'a transfer assumed 450 compute units, a swap 200,000. Bitcoin: Esplora\'s sat/vB for the next block, about an hour',
      'and about a day; a transfer assumed 141 vbytes. A chain whose RPC does not answer gets one line saying so.',
    ],
  },
  {
    name: 'apikey',
    usage: ['apikey create [--name N] [--read-only] [--workspace W]', 'apikey list [--json]', 'apikey revoke <id|name>'],
    summary: "create, list and revoke the keys of the HTTP API; a key acts in its workspace only",
    options: {
      name: { type: 'string', value: 'N', help: 'a name for the key, 1 to 32 letters, digits, ., _ or - (the audit log shows api:<name>)' },
      'read-only': { type: 'boolean', default: false, help: 'the key may read everything of its workspace and change nothing' },
      workspace,
      json,
    },
    maxPositionals: 2,
    notes: [
      'The key is printed once, as the last line of apikey create, and only its SHA-256 is stored: keep it, it cannot be shown again.',
      'Send it as Authorization: Bearer <key>; see README.md (HTTP API).',
    ],
  },
  {
    name: 'exchange',
    chat: 'exchange',
    usage: ['exchange add <binance|coinbase> --label L --key K --secret S [--passphrase P]', 'exchange list [--json]', 'exchange remove <label>'],
    summary: 'add, list and remove read-only exchange accounts; their trades sync into PnL and alerts like a wallet\'s',
    options: {
      label: { type: 'string', value: 'L', help: 'a name for the account, as for a wallet' },
      key: { type: 'string', value: 'K', help: 'the API key (read-only: a key that may trade or withdraw is refused)' },
      secret: { type: 'string', value: 'S', help: 'the API secret' },
      passphrase: { type: 'string', value: 'P', help: 'the passphrase of a Coinbase Exchange key' },
      workspace,
      json,
    },
    maxPositionals: 2,
    notes: [
      'Keys are stored encrypted with LOOKOUT_SECRET_KEY (make one with openssl rand -base64 32) and never shown again.',
      'coinbase means a Coinbase Exchange key (key, secret and passphrase). See README.md (Exchange accounts).',
    ],
  },
  {
    name: 'status',
    usage: ['status [--json]'],
    summary: 'which instance follows each chain, holds each chat connection and delivers which alerts',
    options: { json },
    maxPositionals: 0,
    notes: ['Several lookout run may share one Postgres (DATABASE_URL); see README.md (Several instances).'],
  },
  {
    name: 'explain',
    usage: ['explain <tx-hash|signature|file>... [--wallet ADDRESS]... [--chain NAME] [--json]'],
    summary: "what Lookout sees in a transaction: each wallet's deltas, fee and kind, from the RPC or a saved file",
    options: {
      wallet: {
        type: 'string',
        multiple: true,
        default: [],
        value: 'ADDRESS',
        help: 'a wallet to explain, repeatable (default: the sender on EVM, the fee payer on Solana)',
      },
      chain,
      workspace,
      json,
    },
  },
  {
    name: 'discord',
    usage: ['discord register'],
    summary: 'register the Discord slash commands (globally, or to DISCORD_GUILD_ID)',
    options: {},
    maxPositionals: 1,
  },
  {
    name: 'help',
    usage: ['help [command]'],
    summary: 'show this text, or the usage of one command',
    options: {},
    maxPositionals: 1,
  },
];

/** The command of that name, if there is one. */
export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}

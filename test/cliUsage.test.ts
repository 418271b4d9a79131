import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/cli/commandTable.js';
import { offlineEnv, runCli, tempFolder } from './support/lookoutProcess.js';

// Note: these commands must answer without opening a database, so the data folder they are given must stay absent.
const cwd = tempFolder();
const dataDir = path.join(cwd, 'data');
const env = offlineEnv({ LOOKOUT_DATA_DIR: dataDir });
const lookout = (...args: string[]) => runCli(args, { env, cwd });

describe('lookout command line: help, version and bad input before any database', () => {
  it('behavior: --help and help list every command', async () => {
    for (const args of [['--help'], ['help'], []]) {
      const result = await lookout(...args);
      expect(result.code).toBe(0);
      for (const command of COMMANDS) expect(result.stdout).toContain(`  ${command.usage[0]!.split(' ')[0]}`);
    }
  });

  it.each(COMMANDS.map((command) => command.name))('behavior: lookout %s --help shows its own usage and does nothing else', async (name) => {
    const viaFlag = await lookout(name, '--help');
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toMatch(new RegExp(`^Usage: lookout ${name}`));
    expect(viaFlag.stderr).toBe('');
    const viaHelp = await lookout('help', name);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('behavior: every flag the README documents for a command is in that command\'s usage', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const command of COMMANDS) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`lookout ${command.name}`));
      if (!row) continue;
      const usage = (await lookout(command.name, '--help')).stdout;
      for (const flag of new Set(row.match(/--[a-z-]+/g) ?? [])) expect(usage, `${command.name} ${flag}`).toContain(flag);
    }
  });

  it("behavior: a command shared with the chats shows the chat usage and admin rule from the chat command table", async () => {
    expect((await lookout('track', '--help')).stdout).toMatch(/In a chat: \/track <address> \[label\] \[chain\]\n  Track a wallet; in group chats and servers, administrators only\./);
    expect((await lookout('settings', '--help')).stdout).toMatch(/In a chat: \/alerts on\|off[^\n]*\n  Alert settings and where alerts go; in group chats and servers, on, off, min, types, method, route, webhook, remove by administrators only\./);
    expect((await lookout('wallets', '--help')).stdout).toMatch(/List tracked wallets; anyone in the chat\./);
  });

  it('behavior: --version prints the package version', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((await lookout('--version')).stdout).toBe(`lookout ${manifest.version}\n`);
  });

  it('behavior: lookout group with no action lists the actions', async () => {
    const result = await lookout('group');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/group create\|delete <name>[\s\S]*group add\|remove[\s\S]*group list/);
  });

  it.each([
    ['an unknown option', ['track', '0x5FbDB2315678afecb367f032d93F642f64180aa3', '--colour', 'red'], /^lookout track has no option --colour; run lookout track --help/],
    ['an unknown short option', ['wallets', '-x'], /^lookout wallets has no option -x;/],
    ['a missing value', ['track', '0x5FbDB2315678afecb367f032d93F642f64180aa3', '--label'], /^--label needs a value, as in --label TEXT\.$/],
    ['an option where a value belongs', ['pnl', '--window', '--json'], /^--window needs a value, as in --window 24h\.$/],
    ['a value given to a switch', ['wallets', '--json=yes'], /^--json takes no value; write --json alone\.$/],
    ['an empty value', ['trades', '--since', ''], /^--since needs a value/],
    ['an unknown option before the command', ['--colour'], /^lookout has no option --colour;/],
    ['an unknown command', ['frobnicate'], /^Unknown command 'frobnicate'/],
    ['help for an unknown command', ['help', 'frobnicate'], /^Unknown command 'frobnicate'/],
    ['extra arguments', ['wallets', 'all'], /^Unexpected 'all' after lookout wallets/],
    ['a bad address', ['track', '0xbad'], /^'0xbad' is not an EVM address/],
    ['a bad checksum', ['track', '0x5FbDB2315678afecb367f032d93F642f64180aA3'], /bad checksum/],
    ['a wrong length', ['track', '0x5FbDB2315678afecb367f032d93F642f64180a'], /where an address has 42/],
    ['a string that is not base58', ['track', 'not-an-address'], /neither base58/],
    ['base58 that is not 32 bytes', ['track', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4w'], /where an address has 32/],
    ['a bad backfill block', ['track', '0x0000000000000000000000000000000000000005', '--from-block', 'abc'], /not a block number/],
    ['both backfill options', ['track', '0x0000000000000000000000000000000000000006', '--since', '7d', '--from-block', '1'], /not both/],
    ['a bad label', ['track', '0x5FbDB2315678afecb367f032d93F642f64180aa3', '--label', 'two words'], /contains spaces/],
    ['a bad duration', ['trades', '--since', 'yesterday'], /not a duration/],
    ['a bad window', ['pnl', '--window', '1y'], /'1y' is not a window/],
    ['a bad method', ['pnl', '--method', 'lifo'], /'lifo' is not a PnL method/],
    ['a chart in a missing folder', ['pnl', '--chart', 'missing-dir/x.png'], /The folder .*missing-dir does not exist; create it first/],
    ['a bad chart size', ['pnl', '--chart', 'x.png', '--size', 'big'], /'big' is not a size/],
    ['a bad setting', ['settings', '--alerts', 'maybe'], /'maybe' is not on or off/],
    ['a trade without an action', ['trade'], /lookout trade needs an action; use trade add or trade remove/],
    ['a trade side that is not buy or sell', ['trade', 'add', 'hold', '1', 'ETH', '--for', '1', 'USD'], /'hold' is not buy or sell/],
    ['a trade total without its asset', ['trade', 'add', 'buy', '1', 'ETH', '--for', '20'], /--for needs an amount and an asset, as in --for 20 USD/],
    ['a trade time that is not ISO-8601', ['trade', 'add', 'buy', '1', 'ETH', '--for', '1', 'USD', '--at', 'monday'], /'monday' is not an ISO-8601 time/],
    ['a trade id that is not a number', ['trade', 'remove', 'x1'], /'x1' is not a trade id/],
    ['a manual wallet with an address', ['track', '0x5FbDB2315678afecb367f032d93F642f64180aa3', '--manual', 'desk'], /A manual wallet has no address/],
    ['both JSON and CSV', ['trades', '--json', '--csv'], /Give either --json or --csv, not both/],
    ['a bad fee setting', ['settings', '--fee-basis', 'yes'], /'yes' is not on or off; use --fee-basis on or --fee-basis off/],
    ['a bad group action', ['group', 'rename', 'a'], /'rename' is not a group action/],
    ['a bad group name', ['group', 'create', 'no spaces'], /is not a group name/],
    ['an untrack without a wallet', ['untrack'], /Name the wallet to untrack/],
    ['a discord action that does not exist', ['discord', 'unregister'], /one action: lookout discord register/],
  ])('error: %s is one sentence naming it, exit code 1, and no database is opened', async (_case, args, pattern) => {
    const result = await lookout(...args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(pattern);
    expect(result.stderr).not.toMatch(/ERR_PARSE_ARGS|argument missing|To specify a positional/);
    expect(existsSync(dataDir)).toBe(false);
  });
});

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CommandContext } from '../bot/commandContext.js';
import { group } from '../bot/commands/group.js';
import { alertSettings, validateSetting, type AlertSettingsArgs } from '../bot/commands/alertSettings.js';
import { pnl } from '../bot/commands/pnl.js';
import { track } from '../bot/commands/track.js';
import { trades } from '../bot/commands/trades.js';
import { untrack } from '../bot/commands/untrack.js';
import { walletsCommand } from '../bot/commands/wallets.js';
import type { Reply } from '../bot/reply.js';
import { ensureWorkspace, parseWorkspaceName } from '../db/workspaceQueries.js';
import { LookoutError, UserInputError } from '../errors/LookoutError.js';
import { renderReply } from './renderReply.js';

/** Where a command writes: a terminal, or the buffers sent back over the control socket. */
export type Output = { out(text: string): void; err(text: string): void };

export type CommandDeps = Omit<CommandContext, 'workspaceId' | 'actor'> & { actor: string };

/** The commands that read and change a workspace's data; they run in any process that has the database. */
export const DATA_COMMANDS = ['track', 'untrack', 'wallets', 'group', 'trades', 'pnl', 'settings'] as const;
export type DataCommand = (typeof DATA_COMMANDS)[number];

export function isDataCommand(name: string | undefined): name is DataCommand {
  return DATA_COMMANDS.includes(name as DataCommand);
}

const COMMON = {
  workspace: { type: 'string', default: 'local' },
  json: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

/** Runs one data command from its argv (without `lookout`), writes its reply, and returns the exit code. */
export async function executeCommand(argv: string[], deps: CommandDeps, output: Output, cwd = process.cwd()): Promise<number> {
  const [name, ...rest] = argv;
  let json = rest.includes('--json');
  try {
    if (!isDataCommand(name)) throw new UserInputError(`Unknown command '${name ?? ''}'; run lookout help.`);
    const { reply, json: asJson } = await dispatch(name, rest, deps, cwd);
    json = asJson;
    writeReply(reply, json, output);
    return 0;
  } catch (error) {
    if (error instanceof LookoutError && error.action === 'tell_user') {
      if (json) output.out(`${JSON.stringify({ error: error.message })}\n`);
      output.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function dispatch(name: DataCommand, argv: string[], deps: CommandDeps, cwd: string): Promise<{ reply: Reply; json: boolean }> {
  switch (name) {
    case 'track': {
      const args = parse(name, argv, {
        chain: { type: 'string' },
        label: { type: 'string' },
        group: { type: 'string' },
        since: { type: 'string' },
        'from-block': { type: 'string' },
      });
      const [address, ...extra] = args.positionals;
      if (address === undefined) throw new UserInputError('Name the address to track: lookout track <address> [--label NAME].');
      noExtra(name, extra);
      const ctx = await context(deps, args.values.workspace);
      return {
        reply: await track(ctx, {
          address,
          chain: args.values.chain,
          label: args.values.label,
          group: args.values.group,
          since: args.values.since,
          fromBlock: args.values['from-block'],
        }),
        json: args.values.json,
      };
    }
    case 'untrack': {
      const args = parse(name, argv, { chain: { type: 'string' } });
      const [wallet, ...extra] = args.positionals;
      if (wallet === undefined) throw new UserInputError('Name the wallet to untrack: lookout untrack <label|address>.');
      noExtra(name, extra);
      const ctx = await context(deps, args.values.workspace);
      return { reply: await untrack(ctx, { wallet, chain: args.values.chain }), json: args.values.json };
    }
    case 'wallets': {
      const args = parse(name, argv, {});
      noExtra(name, args.positionals);
      return { reply: await walletsCommand(await context(deps, args.values.workspace)), json: args.values.json };
    }
    case 'group': {
      const args = parse(name, argv, {});
      const [action, groupName, ...wallets] = args.positionals;
      const ctx = await context(deps, args.values.workspace);
      const json = args.values.json;
      switch (action) {
        case 'list':
          noExtra('group list', [groupName, ...wallets].filter((v) => v !== undefined) as string[]);
          return { reply: await group(ctx, { action }), json };
        case 'create':
        case 'delete':
          if (groupName === undefined) throw new UserInputError(`Name the group: lookout group ${action} <name>.`);
          noExtra(`group ${action}`, wallets);
          return { reply: await group(ctx, { action, name: groupName }), json };
        case 'add':
        case 'remove':
          if (groupName === undefined) throw new UserInputError(`Name the group: lookout group ${action} <name> <wallet>...`);
          return { reply: await group(ctx, { action, name: groupName, wallets }), json };
        default:
          throw new UserInputError(
            `'${action ?? ''}' is not a group action; use group create|delete <name>, group add|remove <name> <wallet>..., or group list.`,
          );
      }
    }
    case 'pnl': {
      const args = parse(name, argv, {
        wallet: { type: 'string' },
        group: { type: 'string' },
        window: { type: 'string' },
        method: { type: 'string' },
        chart: { type: 'string' },
        'chart-type': { type: 'string' },
        size: { type: 'string' },
      });
      noExtra(name, args.positionals);
      const ctx = await context(deps, args.values.workspace);
      const { wallet, group: groupName, window, method, chart } = args.values;
      const answer = await pnl(ctx, { wallet, group: groupName, window, method });
      if (chart !== undefined) {
        const size = parseSize(args.values.size ?? '800x480');
        const kind = args.values['chart-type'] ?? 'pnl';
        if (kind !== 'pnl' && kind !== 'allocation' && kind !== 'value') {
          throw new UserInputError(`'${kind}' is not a chart type; use pnl, allocation or value.`);
        }
        const config = answer.charts[kind];
        if (!config) {
          throw new UserInputError(
            kind === 'value'
              ? 'There is no value history yet: the hourly snapshot job needs to run at least twice.'
              : 'There is nothing to chart yet: these wallets have no priced positions.',
          );
        }
        const png = await deps.charts.renderChart(config, size);
        const file = path.resolve(cwd, chart);
        await writeFile(file, png);
        answer.lines.push(`Chart written to ${file}.`);
      }
      return { reply: answer, json: args.values.json };
    }
    case 'settings': {
      const args = parse(name, argv, {
        'pnl-method': { type: 'string' },
        alerts: { type: 'string' },
        'min-usd': { type: 'string' },
        types: { type: 'string' },
      });
      noExtra(name, args.positionals);
      const ctx = await context(deps, args.values.workspace);
      const changes: AlertSettingsArgs[] = [];
      const { alerts } = args.values;
      if (alerts !== undefined) {
        if (alerts !== 'on' && alerts !== 'off') throw new UserInputError(`'${alerts}' is not on or off; use --alerts on or --alerts off.`);
        changes.push({ action: alerts });
      }
      if (args.values['min-usd'] !== undefined) changes.push({ action: 'min', usd: args.values['min-usd'] });
      if (args.values.types !== undefined) changes.push({ action: 'types', types: args.values.types });
      if (args.values['pnl-method'] !== undefined) changes.push({ action: 'method', method: args.values['pnl-method'] });
      // Note: every value is checked before the first change is written.
      for (const change of changes) validateSetting(change);
      let reply = await alertSettings(ctx, { action: 'show' });
      for (const change of changes) reply = await alertSettings(ctx, change);
      return { reply, json: args.values.json };
    }
    case 'trades': {
      const args = parse(name, argv, { wallet: { type: 'string' }, group: { type: 'string' }, since: { type: 'string' } });
      noExtra(name, args.positionals);
      const ctx = await context(deps, args.values.workspace);
      const { wallet, group: groupName, since } = args.values;
      return { reply: await trades(ctx, { wallet, group: groupName, since }), json: args.values.json };
    }
  }
}

function parse<O extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]!.replace(/\.?$/, '') : String(error);
    throw new UserInputError(`${message} for ${command}; run lookout help to see its options.`);
  }
}

function parseSize(text: string): { width: number; height: number } {
  const match = text.match(/^(\d{2,4})x(\d{2,4})$/);
  if (!match) throw new UserInputError(`'${text}' is not a size; write width x height in pixels, such as 800x480.`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

function noExtra(command: string, extra: string[]): void {
  if (extra.length > 0) {
    throw new UserInputError(`Unexpected '${extra.join(' ')}' after ${command}; run lookout help to see its usage.`);
  }
}

async function context(deps: CommandDeps, workspace: string): Promise<CommandContext> {
  const ref = parseWorkspaceName(workspace);
  return { ...deps, workspaceId: await ensureWorkspace(deps.db, ref) };
}

function writeReply(reply: Reply, json: boolean, output: Output): void {
  output.out(json ? `${JSON.stringify(reply.data ?? null, null, 2)}\n` : renderReply(reply));
}

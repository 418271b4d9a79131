import { writeFile } from 'node:fs/promises';
import type { CommandContext } from '../bot/commandContext.js';
import { alertRoutes } from '../bot/commands/alertRoutes.js';
import { gas } from '../bot/commands/gas.js';
import { group } from '../bot/commands/group.js';
import { alertSettings } from '../bot/commands/alertSettings.js';
import { pnl } from '../bot/commands/pnl.js';
import { track } from '../bot/commands/track.js';
import { trades } from '../bot/commands/trades.js';
import { trade } from '../bot/commands/trade.js';
import { tradesCsv } from '../bot/commands/tradesCsv.js';
import { trackManual } from '../bot/commands/manualWallet.js';
import { untrack } from '../bot/commands/untrack.js';
import { walletsCommand } from '../bot/commands/wallets.js';
import type { Reply } from '../bot/reply.js';
import { ensureWorkspace } from '../db/workspaceQueries.js';
import { parseWorkspaceName } from './parseWorkspaceName.js';
import { LookoutError, UserInputError } from '../errors/LookoutError.js';
import { chartFile, chartSize, chartType, checkArguments, exchangeAddArgs, isDataCommand, settingsChanges, tradeAddArgs, type DataCommand } from './checkArguments.js';
import { exchange } from '../bot/commands/exchange.js';
import { apikeyCommand } from './apikeyCommand.js';
import { statusCommand } from './statusCommand.js';
import { findCommand } from './commandTable.js';
import { parseCommandLine, type ParsedCommand } from './parseCommandLine.js';
import { renderReply } from './renderReply.js';

/** Where a command writes: a terminal, or the buffers sent back over the control socket. */
export type Output = { out(text: string): void; err(text: string): void };

export type CommandDeps = Omit<CommandContext, 'workspaceId' | 'actor'> & { actor: string };

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
  const parsed = parseCommandLine(findCommand(name)!, argv);
  checkArguments(name, parsed, cwd);
  const ctx = await context(deps, (parsed.values.workspace as string | undefined) ?? 'local');
  return { reply: await run(name, ctx, parsed, deps, cwd), json: parsed.values.json === true };
}

async function run(name: DataCommand, ctx: CommandContext, parsed: ParsedCommand, deps: CommandDeps, cwd: string): Promise<Reply> {
  const text = (key: string) => parsed.values[key] as string | undefined;
  const [first, second, ...more] = parsed.positionals;
  switch (name) {
    case 'track':
      if (text('manual') !== undefined) return trackManual(ctx, { label: text('manual')!, group: text('group') });
      return track(ctx, {
        address: first!,
        chain: text('chain'),
        label: text('label'),
        group: text('group'),
        since: text('since'),
        fromBlock: text('from-block'),
      });
    case 'untrack':
      return untrack(ctx, { wallet: first!, chain: text('chain') });
    case 'wallets':
      return walletsCommand(ctx);
    case 'group': {
      const action = first as 'create' | 'delete' | 'add' | 'remove' | 'list';
      if (action === 'list') return group(ctx, { action });
      if (action === 'create' || action === 'delete') return group(ctx, { action, name: second! });
      return group(ctx, { action, name: second!, wallets: more });
    }
    case 'pnl': {
      const answer = await pnl(ctx, { wallet: text('wallet'), group: text('group'), window: text('window'), method: text('method') });
      const chart = text('chart');
      if (chart !== undefined) {
        const kind = chartType(text('chart-type'));
        const config = answer.charts[kind];
        if (!config) {
          throw new UserInputError(
            kind === 'value'
              ? 'There is no value history yet: the hourly snapshot job needs to run at least twice.'
              : 'There is nothing to chart yet: these wallets have no priced positions.',
          );
        }
        const png = await deps.charts.renderChart(config, chartSize(text('size')));
        const file = chartFile(chart, cwd);
        try {
          await writeFile(file, png);
        } catch (error) {
          const reason = (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : 'it could not be written';
          throw new UserInputError(`The chart was not saved to ${file}: ${reason}; give --chart a path you can write.`);
        }
        answer.lines.push(`Chart written to ${file}.`);
      }
      return answer;
    }
    case 'settings': {
      const changes = settingsChanges(parsed.values);
      let reply = await alertSettings(ctx, { action: 'show' });
      for (const change of changes) reply = await alertSettings(ctx, change);
      return reply;
    }
    case 'trades':
      if (parsed.values.csv === true) return tradesCsv(ctx, { wallet: text('wallet'), group: text('group'), since: text('since') });
      return trades(ctx, { wallet: text('wallet'), group: text('group'), since: text('since') });
    case 'trade':
      if (first === 'remove') return trade(ctx, { action: 'remove', id: second });
      return trade(ctx, { action: 'add', ...tradeAddArgs(parsed.values, parsed.positionals.slice(1)) });
    case 'alerts': {
      const describe = (destination: string) => destination;
      if (first === 'routes' || first === 'list') return alertRoutes(ctx, { action: 'list', describe });
      if (first === 'remove') return alertRoutes(ctx, { action: 'remove', routeId: Number(second) });
      const webhook = text('webhook');
      return alertRoutes(ctx, {
        action: 'route',
        destination: webhook !== undefined ? 'webhook' : second!,
        destinationName: webhook ?? second!,
        ...(webhook !== undefined ? { webhook: { url: webhook, secret: text('secret')! } } : {}),
        group: text('group'),
        minUsd: text('min-usd'),
        types: text('types'),
        signal: text('signal'),
      });
    }
    case 'gas':
      return gas(ctx);
    case 'apikey':
      if (first === 'create') return apikeyCommand(ctx, { action: 'create', name: text('name'), readOnly: parsed.values['read-only'] === true });
      if (first === 'revoke') return apikeyCommand(ctx, { action: 'revoke', ref: second! });
      return apikeyCommand(ctx, { action: 'list' });
    case 'exchange':
      if (first === 'add') return exchange(ctx, { action: 'add', ...exchangeAddArgs(parsed.values, second) });
      if (first === 'remove') return exchange(ctx, { action: 'remove', label: second });
      return exchange(ctx, { action: 'list' });
    case 'status':
      return statusCommand(ctx);
  }
}

async function context(deps: CommandDeps, workspace: string): Promise<CommandContext> {
  const ref = parseWorkspaceName(workspace);
  return { ...deps, workspaceId: await ensureWorkspace(deps.db, ref) };
}

function writeReply(reply: Reply & { file?: { content: string } }, json: boolean, output: Output): void {
  // A file answer (CSV) is the output itself, so that it can be redirected as is.
  if (reply.file && !json) {
    output.out(reply.file.content);
    return;
  }
  output.out(json ? `${JSON.stringify(reply.data ?? null, null, 2)}\n` : renderReply(reply));
}

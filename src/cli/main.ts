#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import { configSecrets } from '../config/configSecrets.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import { ConfigError, LookoutError, UserInputError } from '../errors/LookoutError.js';
import { checkArguments, isDataCommand } from './checkArguments.js';
import { findCommand } from './commandTable.js';
import type { Output } from './executeCommand.js';
import { parseCommandLine, wantsHelp } from './parseCommandLine.js';
import { commandUsage, generalUsage } from './usage.js';

// Note: this module imports only what reads the command line; the database, chains and chat clients are imported
// once a command needs them, so help and bad input are answered at once.

const terminal: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Runs the `lookout` command line and returns its exit code: 0 done, 1 bad input or failure, 2 bad configuration. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    terminal.out(generalUsage());
    return 0;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    terminal.out(`lookout ${version()}\n`);
    return 0;
  }
  let secrets: readonly string[] = [];
  try {
    const spec = findCommand(command);
    if (!spec) {
      throw new UserInputError(
        command.startsWith('-')
          ? `lookout has no option ${command.split('=')[0]}; run lookout --help to see the commands and their options.`
          : `Unknown command '${command}'; run lookout help to see the commands.`,
      );
    }
    if (wantsHelp(rest)) {
      terminal.out(commandUsage(spec));
      return 0;
    }
    const parsed = parseCommandLine(spec, rest);
    if (command === 'help') return help(parsed.positionals[0]);
    if ((command === 'group' || command === 'discord') && parsed.positionals.length === 0) {
      terminal.out(commandUsage(spec));
      return 0;
    }
    if (isDataCommand(command)) checkArguments(command, parsed, process.cwd());
    if (command === 'discord' && parsed.positionals[0] !== 'register') {
      throw new UserInputError('The discord command has one action: lookout discord register.');
    }
    const { loadConfig } = await import('../config/loadConfig.js');
    const config = loadConfig();
    secrets = configSecrets(config);
    switch (command) {
      case 'run':
        return await (await import('./runLookout.js')).runLookout(config, rest);
      case 'migrate':
        return await migrate(config);
      case 'explain':
        return await (await import('./explainCommand.js')).explainCommand(config, rest, terminal);
      case 'discord':
        return await (await import('./discordRegister.js')).discordRegister(config, terminal);
      default:
        return await dataCommand(config, argv);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      terminal.err(`lookout: ${error.message}\n`);
      return 2;
    }
    if (error instanceof LookoutError) {
      terminal.err(`${error.action === 'tell_user' ? '' : 'lookout: '}${error.message}\n`);
      if (error.details && process.env.LOG_LEVEL === 'debug') terminal.err(`${error.details}\n`);
      return 1;
    }
    // Note: a client library's error can quote a URL with a bot token or an RPC key in it; those never reach the terminal.
    const { scrubSecrets } = await import('../logger.js');
    const text = error instanceof Error ? (process.env.LOG_LEVEL === 'debug' ? (error.stack ?? error.message) : error.message) : String(error);
    terminal.err(`lookout: unexpected error: ${scrubSecrets(text, secrets)}\n`);
    return 1;
  }
}

function help(name: string | undefined): number {
  if (name === undefined) {
    terminal.out(generalUsage());
    return 0;
  }
  const spec = findCommand(name);
  if (!spec) throw new UserInputError(`Unknown command '${name}'; run lookout help to see the commands.`);
  terminal.out(commandUsage(spec));
  return 0;
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

async function dataCommand(config: LookoutConfig, argv: string[]): Promise<number> {
  const actor = `cli:${os.userInfo().username}`;
  let release: (() => void) | undefined;
  const { controlSocketPath, sendToRunningInstance } = await import('./controlSocket.js');
  const { waitForDataDir } = await import('./dataDirLock.js');
  if (!config.databaseUrl) {
    const socketPath = controlSocketPath(config.dataDir);
    const reached = await waitForDataDir(config.dataDir, 20_000, () =>
      sendToRunningInstance(socketPath, { argv, actor, cwd: process.cwd() }),
    );
    if ('answer' in reached) {
      terminal.out(reached.answer.stdout);
      terminal.err(reached.answer.stderr);
      return reached.answer.exitCode;
    }
    release = () => reached.lock.release();
  }
  try {
    const [{ openDatabase }, { createLogger }, { createPrices }, { createBackfiller }, { createCommandServices }, { createEventBus }, { executeCommand }] =
      await Promise.all([
        import('../db/openDatabase.js'),
        import('../logger.js'),
        import('../app/createPrices.js'),
        import('../tracker/createBackfiller.js'),
        import('../app/createCommandServices.js'),
        import('../events/eventBus.js'),
        import('./executeCommand.js'),
      ]);
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    try {
      await database.migrate();
      const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, secrets: configSecrets(config) });
      const prices = createPrices(database.db, config, logger);
      const backfill = createBackfiller({ db: database.db, config, logger, background: false, prices });
      const services = createCommandServices(config, prices);
      return await executeCommand(argv, { db: database.db, config, events: createEventBus(), actor, backfill, ...services }, terminal);
    } finally {
      await database.close();
    }
  } finally {
    release?.();
  }
}

async function migrate(config: LookoutConfig): Promise<number> {
  const { controlSocketPath, sendToRunningInstance } = await import('./controlSocket.js');
  const { waitForDataDir } = await import('./dataDirLock.js');
  const { openDatabase } = await import('../db/openDatabase.js');
  let release: (() => void) | undefined;
  if (!config.databaseUrl) {
    const socketPath = controlSocketPath(config.dataDir);
    const reached = await waitForDataDir(config.dataDir, 20_000, async () => {
      const answer = await sendToRunningInstance(socketPath, { argv: ['wallets', '--json'], actor: 'cli', cwd: process.cwd() });
      return answer === null ? null : true;
    });
    if ('answer' in reached) {
      terminal.out('Lookout is running on this data folder and has already applied the migrations.\n');
      return 0;
    }
    release = () => reached.lock.release();
  }
  try {
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    try {
      await database.migrate();
      terminal.out(`Migrations applied to ${database.location}.\n`);
      return 0;
    } finally {
      await database.close();
    }
  } finally {
    release?.();
  }
}

// Note: when collecting is cheap, V8 lets the old generation grow to up to four times the live heap between full
// collections; `lookout run` with 10,000 wallets then peaked near 250 MiB before settling at 175 (bench/memory.ts).
// Growing by half the live heap keeps the peak near the working set at no measurable CPU cost. The young
// generation is sized when Node starts, so `npm start` and the Docker image also pass --max-semi-space-size=2.
v8.setFlagsFromString('--heap-growing-percent=50');
process.exitCode = await main(process.argv.slice(2));

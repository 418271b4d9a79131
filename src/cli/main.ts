#!/usr/bin/env node
import os from 'node:os';
import { createCommandServices } from '../app/createCommandServices.js';
import { createPrices } from '../app/createPrices.js';
import { createEventBus } from '../events/eventBus.js';
import { loadConfig, type LookoutConfig } from '../config/loadConfig.js';
import { openDatabase } from '../db/openDatabase.js';
import { ConfigError, LookoutError } from '../errors/LookoutError.js';
import { createLogger } from '../logger.js';
import { createBackfiller } from '../tracker/createBackfiller.js';
import { controlSocketPath, sendToRunningInstance } from './controlSocket.js';
import { waitForDataDir } from './dataDirLock.js';
import { executeCommand, isDataCommand, type Output } from './executeCommand.js';
import { explainCommand } from './explainCommand.js';
import { runLookout } from './runLookout.js';
import { USAGE } from './usage.js';

const terminal: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** Runs the `lookout` command line and returns its exit code: 0 done, 1 bad input or failure, 2 bad configuration. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    terminal.out(USAGE);
    return 0;
  }
  try {
    const config = loadConfig();
    if (command === 'run') return await runLookout(config, rest);
    if (command === 'migrate') return await migrate(config);
    if (command === 'explain') return await explainCommand(config, rest, terminal);
    if (command === 'discord') {
      if (rest[0] !== 'register' || rest.length > 1) {
        terminal.err('The discord command has one action: lookout discord register.\n');
        return 1;
      }
      // Note: discord.js takes most of a second to load; only the commands that talk to Discord load it.
      const { discordRegister } = await import('./discordRegister.js');
      return await discordRegister(config, terminal);
    }
    if (isDataCommand(command)) return await dataCommand(config, argv);
    terminal.err(`Unknown command '${command}'; run lookout help to see the commands.\n`);
    return 1;
  } catch (error) {
    if (error instanceof ConfigError) {
      terminal.err(`lookout: ${error.message}\n`);
      return 2;
    }
    if (error instanceof LookoutError) {
      terminal.err(`lookout: ${error.message}\n`);
      if (error.details && process.env.LOG_LEVEL === 'debug') terminal.err(`${error.details}\n`);
      return 1;
    }
    terminal.err(`lookout: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

async function dataCommand(config: LookoutConfig, argv: string[]): Promise<number> {
  const actor = `cli:${os.userInfo().username}`;
  let release: (() => void) | undefined;
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
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    try {
      await database.migrate();
      const logger = createLogger({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
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

process.exitCode = await main(process.argv.slice(2));

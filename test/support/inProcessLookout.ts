import { Writable } from 'node:stream';
import { createLocalChartRenderer } from '../../src/charts/createLocalChartRenderer.js';
import { configSecrets } from '../../src/config/configSecrets.js';
import { loadConfig, type LookoutConfig } from '../../src/config/loadConfig.js';
import type { Database } from '../../src/db/openDatabase.js';
import { createEventBus } from '../../src/events/eventBus.js';
import { createLogger } from '../../src/logger.js';
import { createOutboxWorker } from '../../src/bot/delivery/createOutboxWorker.js';
import type { ChatAdapter } from '../../src/bot/delivery/Sink.js';
import { createDiscordBot, type DiscordService } from '../../src/bot/discord/createDiscordBot.js';
import { createTelegramBot, type TelegramService } from '../../src/bot/telegram/createTelegramBot.js';
import { startDiscordServer, type DiscordServer } from './discord/startDiscordServer.js';
import { startTelegramServer, type TelegramServer } from './telegram/startTelegramServer.js';
import { createTestDatabase } from './testDatabase.js';

/** A chat adapter of Lookout running inside the test process, on a scratch database, with its log lines kept. */
type InProcess = {
  database: Database;
  config: LookoutConfig;
  /** Every JSON log line written so far. */
  logs: string[];
  stop(): Promise<void>;
};

function deps(env: Record<string, string>, database: Database, logs: string[]) {
  // Note: no configuration file is read; the presets and `env` are the whole configuration.
  // Note: price sources outside the chain are off, so nothing asks a public price API, and the presets' RPCs point at a
  // closed local port, so a command that reads a chain (/gas) asks no public node.
  const closed = 'http://127.0.0.1:9';
  const rpcs = { BASE_RPC_URL: closed, SONIC_RPC_URL: closed, ETHEREUM_RPC_URL: closed, SOLANA_RPC_URL: closed, BITCOIN_API_URL: closed, STELLAR_HORIZON_URL: closed };
  const config = loadConfig(
    { LOOKOUT_CONFIG: '', PRICE_SOURCES: 'chainlink,pyth', DEFILLAMA_URL: closed, LOOKOUT_HTTP_PORT: 'off', ...rpcs, ...env },
    '/nonexistent-lookout-config-dir',
  );
  const destination = new Writable({ write: (chunk, _encoding, done) => void (logs.push(String(chunk)), done()) });
  const logger = createLogger({ level: 'info', pretty: false, secrets: configSecrets(config), destination });
  const charts = createLocalChartRenderer();
  return { config, deps: { db: database.db, config, events: createEventBus(), logger, charts, prices: async () => null } };
}

/**
 * Starts a chat adapter and its outbox worker, as `lookout run` does, on the scratch database; `stop` takes down the
 * worker, the adapter, the local platform server and the database, in that order.
 */
async function startInProcess<S extends ChatAdapter>(
  service: S,
  setUp: ReturnType<typeof deps>,
  database: Database,
  logs: string[],
  server: { stop(): Promise<void> },
): Promise<InProcess & { service: S }> {
  await service.start();
  const worker = createOutboxWorker({ ...setUp.deps, scope: service.scope, deliverGroup: service.deliverGroup, ...service.pacing });
  worker.start();
  return {
    service,
    database,
    config: setUp.config,
    logs,
    async stop() {
      await worker.stop();
      await service.stop();
      await server.stop();
      await database.close();
    },
  };
}

/** Lookout's Telegram bot, through the real grammY client, against a local Bot API server. */
export async function startTelegramLookout(env: Record<string, string> = {}): Promise<InProcess & { telegram: TelegramServer; service: TelegramService }> {
  const telegram = await startTelegramServer();
  const database = await createTestDatabase();
  const logs: string[] = [];
  const setUp = deps({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, ...env }, database, logs);
  return { telegram, ...(await startInProcess(createTelegramBot(setUp.deps), setUp, database, logs, telegram)) };
}

/** Lookout's Discord bot, through the real discord.js client, against a local Discord server with one guild. */
export async function startDiscordLookout(
  guild: { id: string; channels: { id: string; name: string }[] },
  env: Record<string, string> = {},
): Promise<InProcess & { discord: DiscordServer; service: DiscordService }> {
  const discord = await startDiscordServer();
  discord.guild(guild.id, { name: 'Test guild', channels: guild.channels });
  const database = await createTestDatabase();
  const logs: string[] = [];
  const setUp = deps(
    { DISCORD_TOKEN: 'test-token-0123456789', DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.apiUrl, DISCORD_GUILD_ID: guild.id, ...env },
    database,
    logs,
  );
  return { discord, ...(await startInProcess(createDiscordBot(setUp.deps), setUp, database, logs, discord)) };
}

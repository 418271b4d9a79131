import { createServer } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordServer, type DiscordServer } from '../../test/support/discord/startDiscordServer.js';
import { startTelegramServer, type TelegramServer } from '../../test/support/telegram/startTelegramServer.js';
import { createMetricsRegistry, createShutdown } from '../app/common.js';
import { createLocalChartRenderer } from '../charts/createLocalChartRenderer.js';
import { loadConfig } from '../config/loadConfig.js';
import type { Db } from '../db/openDatabase.js';
import { createEventBus } from '../events/eventBus.js';
import { createSinks, SINKS, type SinkDeps } from './sinks.js';

const logger = pino({ level: 'silent' });

/** What the sinks get in `lookout run`; no database is reached before a sink delivers or serves a command. */
function sinkDeps(env: Record<string, string>): SinkDeps {
  const config = loadConfig({ LOOKOUT_CONFIG: '', ...env }, '/nonexistent-lookout-config-dir');
  return {
    db: {} as Db,
    config,
    logger,
    events: createEventBus(),
    metrics: createMetricsRegistry({ processMetrics: false }),
    shutdown: createShutdown(logger),
    prices: async () => null,
    charts: createLocalChartRenderer(),
    workspaceId: 'local',
    json: true,
  };
}

describe('sinks', () => {
  let telegram: TelegramServer;
  let discord: DiscordServer;
  beforeAll(async () => {
    telegram = await startTelegramServer({ onlyThisToken: true });
    discord = await startDiscordServer({ token: 'test-token' });
  });
  afterAll(async () => {
    await telegram?.stop();
    await discord?.stop();
  });

  it('behavior: the console and webhook sinks are always on, a chat sink only when configured, each serving its own destinations', async () => {
    expect((await createSinks(sinkDeps({}))).map((sink) => [sink.name, sink.scope])).toEqual([
      ['console', { prefix: 'console', workspaceId: 'local' }],
      ['webhook', { prefix: 'webhook:' }],
    ]);
    const all = await createSinks(
      sinkDeps({ TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, DISCORD_TOKEN: 'test-token', DISCORD_API_URL: discord.apiUrl }),
    );
    expect(all.map((sink) => [sink.name, sink.scope.prefix])).toEqual([
      ['console', 'console'],
      ['webhook', 'webhook:'],
      ['telegram', 'telegram:'],
      ['discord', 'discord:'],
    ]);
    expect(SINKS.map((entry) => entry.name)).toEqual(all.map((sink) => sink.name));
  });

  it('error: a refused token is told apart from a platform that cannot be reached, so only the latter is retried', async () => {
    const refused = await createSinks(
      sinkDeps({ TELEGRAM_BOT_TOKEN: '123:wrong', TELEGRAM_API_ROOT: telegram.apiRoot, DISCORD_TOKEN: 'wrong-token', DISCORD_API_URL: discord.apiUrl }),
    );
    const closed = await closedPort();
    const unreachable = await createSinks(
      sinkDeps({
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: `http://127.0.0.1:${closed}`,
        DISCORD_TOKEN: 'test-token',
        DISCORD_API_URL: `http://127.0.0.1:${closed}/api`,
      }),
    );
    for (const [sinks, isRefusal] of [[refused, true], [unreachable, false]] as const) {
      for (const sink of sinks.filter((candidate) => candidate.exclusive)) {
        const error = await sink.start!().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        await sink.stop?.();
        expect(error, sink.name).toBeDefined();
        expect(sink.refusedCredentials!(error), `${sink.name}: ${String(error)}`).toBe(isRefusal);
      }
    }
  });
});

/** A port of 127.0.0.1 that nothing listens on: a connection is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

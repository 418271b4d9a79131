import type { Common } from '../app/common.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import type { CommandContext } from './commandContext.js';
import { createConsoleSink, writeStdout } from './console/createConsoleSink.js';
import type { Sink } from './delivery/Sink.js';

/** What a sink may need: the running services, what commands need (for chat adapters), and how `lookout run` was started. */
export type SinkDeps = Common &
  Omit<CommandContext, 'workspaceId' | 'actor'> & {
    /** The workspace `lookout run` serves; its console alerts are printed. */
    workspaceId: string;
    /** Console alerts as one JSON object per line. */
    json: boolean;
  };

/** One kind of sink: whether the configuration turns it on, and how to make it. */
export type SinkEntry = { name: string; configured(config: LookoutConfig): boolean; create(deps: SinkDeps): Promise<Sink> };

/**
 * Every kind of sink Lookout can deliver alerts to. Adding one (a webhook) is one file that makes a `Sink`
 * and one entry here.
 * Note: the chat libraries take a second or more to load; they are imported only when configured.
 */
export const SINKS: readonly SinkEntry[] = [
  {
    name: 'console',
    configured: () => true,
    create: async (deps) => createConsoleSink({ json: deps.json, write: writeStdout, workspaceId: deps.workspaceId }),
  },
  {
    name: 'webhook',
    // Note: an admin may add a webhook route at any time; the worker finds nothing to do until one exists.
    configured: () => true,
    create: async (deps) => (await import('./webhook/createWebhookSink.js')).createWebhookSink({ db: deps.db, allowPrivate: deps.config.webhooks.allowPrivate }),
  },
  {
    name: 'telegram',
    configured: (config) => config.telegram !== undefined,
    create: async (deps) => (await import('./telegram/createTelegramBot.js')).createTelegramBot(deps),
  },
  {
    name: 'discord',
    configured: (config) => config.discord !== undefined,
    create: async (deps) => (await import('./discord/createDiscordBot.js')).createDiscordBot(deps),
  },
];

/** The sinks the configuration turns on, in the order of `SINKS`. */
export async function createSinks(deps: SinkDeps, entries: readonly SinkEntry[] = SINKS): Promise<Sink[]> {
  const sinks: Sink[] = [];
  for (const entry of entries) if (entry.configured(deps.config)) sinks.push(await entry.create(deps));
  return sinks;
}

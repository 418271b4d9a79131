import { Registry, collectDefaultMetrics } from 'prom-client';
import type { LookoutConfig } from '../config/loadConfig.js';
import type { Db } from '../db/openDatabase.js';
import type { EventBus } from '../events/eventBus.js';
import type { Logger } from '../logger.js';

/** Runs what a service registered, in reverse order of registration, when Lookout stops. */
export type Shutdown = {
  /** Registers a cleanup; it runs once, after every cleanup registered later. */
  add(cleanup: () => Promise<void> | void): void;
  /** Runs every cleanup; a failing one is logged and the others still run. */
  run(): Promise<void>;
  readonly isShuttingDown: boolean;
};

/**
 * What every long-lived service of a running Lookout gets, instead of module singletons: the database,
 * the configuration, a logger, the in-process event bus, the metrics registry and the shutdown list.
 */
export type Common = {
  db: Db;
  config: LookoutConfig;
  logger: Logger;
  events: EventBus;
  metrics: Registry;
  shutdown: Shutdown;
};

/** A shutdown list that logs a failing cleanup and goes on with the rest. */
export function createShutdown(logger: Logger): Shutdown {
  const cleanups: (() => Promise<void> | void)[] = [];
  let shuttingDown = false;
  return {
    add: (cleanup) => void cleanups.push(cleanup),
    async run() {
      shuttingDown = true;
      while (cleanups.length > 0) {
        const cleanup = cleanups.pop()!;
        try {
          await cleanup();
        } catch (error) {
          logger.error({ err: error }, 'error during shutdown');
        }
      }
    },
    get isShuttingDown() {
      return shuttingDown;
    },
  };
}

/** A metrics registry of its own (never prom-client's global one), with the default process metrics. */
export function createMetricsRegistry(options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}

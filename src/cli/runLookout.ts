import os from 'node:os';
import type { LookoutConfig } from '../config/loadConfig.js';
import { openDatabase } from '../db/openDatabase.js';
import { ensureWorkspace } from '../db/workspaceQueries.js';
import { parseWorkspaceName } from './parseWorkspaceName.js';
import { createEventBus } from '../events/eventBus.js';
import { UserInputError } from '../errors/LookoutError.js';
import { configSecrets } from '../config/configSecrets.js';
import { createLogger, type Logger } from '../logger.js';
import { backoffDelay } from '../tracker/backoff.js';
import { createMetricsRegistry, createShutdown, type Common } from '../app/common.js';
import { createCommandServices } from '../app/createCommandServices.js';
import { createLeases, leaseHolder, type Leases } from '../app/leases.js';
import { createPrices } from '../app/createPrices.js';
import { createPriceRefreshJob } from '../tracker/prices/createPriceRefreshJob.js';
import { createOutboxWorker } from '../bot/delivery/createOutboxWorker.js';
import type { Sink } from '../bot/delivery/Sink.js';
import { createSinks } from '../bot/sinks.js';
import { createChainStore } from '../db/chainStore.js';
import { createBackfiller } from '../tracker/createBackfiller.js';
import { createDriver } from '../tracker/chainKinds.js';
import { createHoldingsJob } from '../tracker/createHoldingsJob.js';
import { createExchangeSyncJob } from '../usecases/createExchangeSyncJob.js';
import { createTrackerPipeline } from '../tracker/pipeline/createTrackerPipeline.js';
import { startHttpServer } from '../http/startHttpServer.js';
import { createRpcMetrics } from '../tracker/rpcMetrics.js';
import { controlSocketPath, startControlServer } from './controlSocket.js';
import { tryLockDataDir } from './dataDirLock.js';
import { executeCommand } from './executeCommand.js';
import { findCommand } from './commandTable.js';
import { parseCommandLine } from './parseCommandLine.js';
import { probeRpcAtStart } from './probeRpcAtStart.js';

/** `lookout run`: migrate, follow the configured chains, serve other commands, and stop cleanly on a signal. */
export async function runLookout(config: LookoutConfig, argv: string[]): Promise<number> {
  const { values } = parseCommandLine(findCommand('run')!, argv);
  const workspace = parseWorkspaceName(values.workspace as string);
  const logger = createLogger({ level: config.logLevel, secrets: configSecrets(config) });

  const lock = config.databaseUrl ? undefined : tryLockDataDir(config.dataDir, 'run');
  if (lock && !('release' in lock)) {
    throw new UserInputError(
      `Lookout is already running on ${config.dataDir} (pid ${lock.pid}); stop it first, or set LOOKOUT_DATA_DIR to another folder.`,
    );
  }
  const shutdown = createShutdown(logger);
  shutdown.add(() => lock?.release());

  try {
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    shutdown.add(() => database.close());
    await database.migrate();
    logger.info({ database: database.kind, location: database.location }, 'database ready');
    await ensureWorkspace(database.db, workspace);

    const events = createEventBus((error, event) => logger.error({ err: error, event: event.type }, 'event handler failed'));
    const common: Common = { db: database.db, config, logger, events, metrics: createMetricsRegistry(), shutdown };

    // Note: several instances may share one Postgres; each chain, chat connection and schedule runs on the holder of its lease.
    const leases = createLeases({ db: database.db, logger, holder: leaseHolder(config.instance), exclusive: database.kind === 'pglite' });
    const running = new AbortController();
    shutdown.add(() => leases.release());
    /** Stops what runs under a lease, then waits for it. */
    const stopHeld = (held: Promise<void>) => () => {
      running.abort();
      return held;
    };

    const prices = createPrices(database.db, config, logger);
    const backfill = createBackfiller({ db: database.db, config, logger, background: true, prices });
    const services = createCommandServices(config, prices);
    if (database.kind === 'pglite') {
      // Note: PGlite allows one process on its folder, so other commands reach the database through this instance.
      const socketPath = controlSocketPath(config.dataDir);
      const server = await startControlServer(socketPath, async (request) => {
        let stdout = '';
        let stderr = '';
        const exitCode = await executeCommand(
          request.argv,
          { db: database.db, config, events, actor: request.actor, backfill, ...services },
          { out: (text) => (stdout += text), err: (text) => (stderr += text) },
          request.cwd,
        ).catch((error: unknown) => {
          logger.error({ err: error }, 'command from another process failed');
          stderr += `The command failed: ${error instanceof Error ? error.message : String(error)}\n`;
          return 1;
        });
        return { exitCode, stdout, stderr };
      });
      shutdown.add(() => server.close());
    }

    // Note: one driver per followed chain, built by its kind (src/tracker/chainKinds.ts), and one pipeline for all.
    const store = createChainStore(database.db);
    const rpcMetrics = createRpcMetrics(common.metrics);
    const drivers = await Promise.all(
      config.followed.map((chain) =>
        createDriver(chain, {
          store,
          logger,
          prices,
          walletsChanged: (listener) => events.on('wallets_changed', (event) => event.chains.includes(chain.name) && listener()),
          onRpcRequest: rpcMetrics(chain.name),
        }),
      ),
    );
    const tracker = createTrackerPipeline(common, drivers, leases);
    tracker.start();

    const holdings = createHoldingsJob({
      db: database.db,
      config,
      logger,
      readers: new Map(drivers.map((driver) => [driver.chain.name, driver.readHoldings])),
      prices: services.prices,
      cron: config.snapshotCron,
    });
    const priceRefresh = createPriceRefreshJob(common, prices);
    // Exchange accounts: a cheap look for due accounts every few seconds; an instance without any makes no call out.
    const exchangeSync = createExchangeSyncJob({ ...common, config });
    const schedules = whileHeld(leases, 'jobs:schedules', running.signal, {
      start: () => {
        priceRefresh.start();
        holdings.start();
        exchangeSync.start();
      },
      stop: async () => {
        holdings.stop();
        priceRefresh.stop();
        await exchangeSync.stop();
      },
    });
    shutdown.add(stopHeld(schedules));

    // One outbox worker per sink; a sink with a platform connection delivers once it is connected.
    // Note: the chat libraries take a second or more to load; loaded only when configured, and after the followers started.
    const claim = { by: leases.claimant, leaseMs: 30_000 };
    for (const sink of await createSinks({ ...common, backfill, ...services, workspaceId: workspace.id, json: values.json === true })) {
      if (sink.exclusive) {
        // Note: one instance at a time polls Telegram or holds the Discord gateway; the others stand by.
        const held = whileHeld(leases, `sink:${sink.name}`, running.signal, {
          start: () => {
            const worker = createOutboxWorker({ ...common, scope: sink.scope, deliverGroup: sink.deliverGroup, ...sink.pacing, claim });
            const started = keepTrying(sink, () => worker.start(), logger);
            return async () => {
              started.cancel();
              await worker.stop();
              await sink.stop?.();
            };
          },
        });
        shutdown.add(stopHeld(held));
        continue;
      }
      const worker = createOutboxWorker({ ...common, scope: sink.scope, deliverGroup: sink.deliverGroup, ...sink.pacing, claim });
      const started = keepTrying(sink, () => worker.start(), logger);
      shutdown.add(async () => {
        started.cancel();
        await worker.stop();
        await sink.stop?.();
      });
    }

    shutdown.add(() => tracker.stop());
    // The HTTP API, probes and /metrics; LOOKOUT_HTTP_PORT=off leaves them out.
    await startHttpServer(common, { ...services, backfill });
    logger.info(
      { chains: config.followed.map((chain) => chain.name), workspace: workspace.id, host: os.hostname(), instance: leases.claimant },
      `Lookout is running; following ${config.followed.map((chain) => chain.name).join(', ') || 'no chains'}`,
    );

    void probeRpcAtStart(config, logger);

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    logger.info({ signal }, 'stopping');
    await shutdown.run();
    logger.info('stopped');
    logger.flush?.();
    return 0;
  } catch (error) {
    await shutdown.run();
    throw error;
  }
}

/**
 * Runs a piece of Lookout while this instance holds `lease`: `start` when taken, and the stop it returns (or
 * `stop`) when lost or when Lookout stops. Resolves once stopped.
 */
function whileHeld(
  leases: Leases,
  lease: string,
  signal: AbortSignal,
  part: { start(): void | (() => Promise<void>); stop?(): Promise<void> },
): Promise<void> {
  return leases.hold(
    lease,
    async (_fence, held) => {
      const stop = part.start() ?? part.stop;
      await new Promise<void>((resolve) => (held.aborted ? resolve() : held.addEventListener('abort', () => resolve(), { once: true })));
      await stop?.();
    },
    signal,
  );
}

/**
 * Connects a sink in the background, then starts its worker: a platform that cannot be reached delays it,
 * with backoff, but never stops Lookout; refused credentials are reported once and not retried.
 */
function keepTrying(sink: Sink, startWorker: () => void, logger: Logger): { cancel(): void } {
  let cancelled = false;
  void (async () => {
    for (let attempt = 0; !cancelled; attempt++) {
      try {
        await sink.start?.();
        if (!cancelled) startWorker();
        return;
      } catch (error) {
        if (sink.refusedCredentials?.(error)) {
          logger.error({ adapter: sink.name, err: error }, `${sink.name}: the token was refused; check it and restart`);
          return;
        }
        if (attempt === 0) logger.warn({ adapter: sink.name, err: error }, `${sink.name} unreachable; retrying with backoff`);
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, 2_000, 60_000)).unref());
      }
    }
  })();
  return { cancel: () => void (cancelled = true) };
}

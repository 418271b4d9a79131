import type { Logger } from 'pino';
import { createConsoleSink } from '../../src/bot/console/createConsoleSink.js';
import { createOutboxWorker } from '../../src/bot/delivery/createOutboxWorker.js';
import type { LookoutConfig } from '../../src/config/loadConfig.js';
import type { Db } from '../../src/db/openDatabase.js';
import type { EventBus } from '../../src/events/eventBus.js';

/** A console alert as `--json` prints it. */
export type ConsoleAlert = {
  type: string;
  tx: string;
  wallet: string;
  label: string;
  kind: string;
  venue: string | null;
  usd: string | null;
  sent: { asset: string; symbol: string; amount: string }[];
  received: { asset: string; symbol: string; amount: string }[];
  /** USD price of one whole unit of what was bought or sold; null when unpriced. */
  priceUsd: string | null;
  /** The token the alert is about: its contract (null for the native coin) and chart link. */
  token: { asset: string; symbol: string; contract: string | null; chart: string | null } | null;
  /** The wallet's holding after the trade, exact, valued at the trade's price. */
  holding: { amount: string; valueUsd: string | null; firstBuy: boolean } | null;
  /** What a priced sale realized under the workspace's method, and the percent of the position sold. */
  sale: { method: string; realizedUsd: string; unknownProceedsUsd: string; soldPercent: string | null } | null;
  note?: string;
};

/** The `local` workspace's console alerts, delivered from the outbox on demand and kept for assertions. */
export function consoleAlerts(deps: { db: Db; config: LookoutConfig; logger: Logger; events: EventBus }) {
  const printed: string[] = [];
  return {
    printed,
    /** Delivers every due console alert now. */
    drain: () =>
      createOutboxWorker({
        ...deps,
        ...createConsoleSink({ json: true, write: (text) => void printed.push(text), workspaceId: 'local' }),
      }).drain(),
    /** The alerts printed for one transaction. */
    alertsFor: (tx: string): ConsoleAlert[] => printed.map((line) => JSON.parse(line) as ConsoleAlert).filter((alert) => alert.tx === tx),
  };
}

/**
 * An outbox worker delivering the `local` workspace's alerts to a console sink that notes when each transaction's
 * alerts left: `delivered` maps a transaction to the times of its alerts (more than one is a repeat).
 */
export function timedConsoleOutbox(deps: { db: Db; config: LookoutConfig; logger: Logger; events: EventBus; pollMs?: number }) {
  const delivered = new Map<string, number[]>();
  const worker = createOutboxWorker({
    ...deps,
    ...createConsoleSink({
      json: true,
      workspaceId: 'local',
      write: (text) => {
        const tx = (JSON.parse(text) as { tx: string }).tx;
        delivered.set(tx, [...(delivered.get(tx) ?? []), Date.now()]);
      },
    }),
  });
  return { worker, delivered };
}

import type { LookoutConfig } from '../config/loadConfig.js';
import type { Db } from '../db/openDatabase.js';
import type { EventBus } from '../events/eventBus.js';
import type { ChartRenderer } from '../charts/ChartRenderer.js';
import type { Backfiller } from '../tracker/createBackfiller.js';
import type { PnlPrice } from '../tracker/pnl/types.js';

/** What every command gets: the core to call, the workspace it acts in, and who asked. */
export type CommandContext = {
  db: Db;
  config: LookoutConfig;
  events: EventBus;
  workspaceId: string;
  /** Who asked, as the audit log records it: `cli:<user>`, `telegram:<user id>`, `discord:<user id>`. */
  actor: string;
  /** Reads a new wallet's history, where this process can reach the chains. */
  backfill?: Backfiller;
  /** The latest known USD price of a token, for PnL. */
  prices: (chain: string, asset: string) => Promise<PnlPrice | null>;
  /** Draws charts to PNG: locally, or on a QuickChart server. */
  charts: ChartRenderer;
};

import type { LookoutConfig } from '../config/loadConfig.js';
import type { Db } from '../db/openDatabase.js';
import type { EventBus } from '../events/eventBus.js';
import type { Backfiller } from '../tracker/createBackfiller.js';
import type { PnlPrice } from '../tracker/pnl/types.js';

/** The latest known USD price of a token, for PnL: a port, so a use case never reaches a chain or an API itself. */
export type CurrentPrice = (chain: string, asset: string) => Promise<PnlPrice | null>;

/** What every use case gets: the core to call, the workspace it acts in, and who asked. */
export type UseCaseDeps = {
  db: Db;
  config: LookoutConfig;
  events: EventBus;
  workspaceId: string;
  /** Who asked, as the audit log records it: `cli:<user>`, `telegram:<user id>`, `discord:<user id>`. */
  actor: string;
  /** Reads a new wallet's history, where this process can reach the chains. */
  backfill?: Backfiller | undefined;
  prices: CurrentPrice;
};

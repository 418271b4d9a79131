import type { LookoutConfig } from '../config/loadConfig.js';
import type { Db } from '../db/openDatabase.js';
import type { EventBus } from '../events/eventBus.js';

/** What every command gets: the core to call, the workspace it acts in, and who asked. */
export type CommandContext = {
  db: Db;
  config: LookoutConfig;
  events: EventBus;
  workspaceId: string;
  /** Who asked, as the audit log records it: `cli:<user>`, `telegram:<user id>`, `discord:<user id>`. */
  actor: string;
};

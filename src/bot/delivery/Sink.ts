import type { OutboxScope } from '../../db/alertQueries.js';
import type { DeliverGroup } from './createOutboxWorker.js';

/** How an outbox worker polls for a sink: how often, and how many alerts it claims at once. */
export type SinkPacing = { pollMs?: number; batchSize?: number };

/**
 * Where alerts go: the console, a chat platform, and later a webhook. `runLookout` starts one outbox
 * worker per sink; the worker claims the due alerts of `scope` and hands each destination's alerts to
 * `deliverGroup`, which may pace them or fold a burst into one message. A sink with a platform
 * connection opens it in `start` (retried with backoff while the platform cannot be reached) and closes
 * it in `stop`.
 */
export type Sink = {
  /** Names the sink in logs: `console`, `telegram`, `discord`. */
  name: string;
  /**
   * Whether one instance at a time may hold the platform connection (Telegram long polling, the Discord gateway):
   * with several instances on one Postgres it runs on the holder of the lease `sink:<name>` only.
   */
  exclusive?: boolean;
  /** The destinations it serves: a prefix such as `telegram:`, maybe of one workspace only. */
  scope: OutboxScope;
  deliverGroup: DeliverGroup;
  pacing?: SinkPacing;
  /** Connects to the platform; alerts are delivered only once it resolved. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** Whether a start failure means the credentials were refused: reported once, never retried. */
  refusedCredentials?(error: unknown): boolean;
};

/** A sink that also serves people's commands in chats (Telegram, Discord). */
export type ChatAdapter = Sink & {
  /** Connects to the platform, registers the command menu, and answers commands. */
  start(): Promise<void>;
  stop(): Promise<void>;
};

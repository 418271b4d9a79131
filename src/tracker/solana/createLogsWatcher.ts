import { Connection, PublicKey } from '@solana/web3.js';
import { redactUrl, type Logger } from '../../logger.js';
import { backoffDelay } from '../backoff.js';
import { withTimeout } from './createSolanaRpc.js';
import { abandonSocket, onSocketClose } from './connectionSocket.js';

/**
 * `logsSubscribe` per watched address, as hints that wake the follower early. Polling stays the
 * source of truth; the watcher only has to notice when its hints stopped coming and start over.
 */
export type LogsWatcher = {
  /** Subscribes to the logs that mention each address, and drops the others. */
  watch(addresses: readonly string[]): void;
  /**
   * Signatures polling found. One that happened while its address was subscribed, that no
   * notification told of within the grace period while the socket stayed silent, means the
   * subscriptions are dead (some servers drop them without closing the socket).
   */
  checkMissed(found: readonly { address: string; signature: string; blockTime: number | null }[]): void;
  close(): Promise<void>;
};

export type LogsWatcherOptions = {
  /** The HTTP endpoint a Connection needs even when only its socket is used. */
  rpcEndpoint: string;
  wsUrl: string;
  logger: Logger;
  onActivity(address: string, signature: string): void;
  /** How long a notification may trail the poll that found its transaction. */
  graceMs?: number;
};

type Generation = {
  connection: Connection;
  subscriptions: Map<string, { id: number; since: number }>;
  abandoned: boolean;
};

const MIN_REBUILD_INTERVAL_MS = 10_000;
const STABLE_AFTER_MS = 60_000;
const FORGET_AFTER_MS = 10 * 60_000;
// A transaction this close to its subscription may have landed before it.
const SUBSCRIBE_MARGIN_MS = 2_000;

/**
 * Keeps one Connection of its own for subscriptions, so it can throw it away: whenever its socket
 * closes, or goes quiet while polling finds new transactions, every subscription is made again
 * on a new Connection.
 */
export function createLogsWatcher(options: LogsWatcherOptions): LogsWatcher {
  const logger = options.logger;
  const graceMs = options.graceMs ?? 5_000;
  let current: Generation | null = null;
  let wanted: readonly string[] = [];
  let closed = false;
  let rebuildTimer: NodeJS.Timeout | undefined;
  let rebuildAttempts = 0;
  let lastRebuildAt = 0;
  let lastNotificationAt = 0;
  const notified = new Map<string, number>();
  const suspects = new Map<string, number>();

  function open(): Generation {
    const generation: Generation = {
      connection: new Connection(options.rpcEndpoint, { commitment: 'confirmed', wsEndpoint: options.wsUrl, disableRetryOnRateLimit: true }),
      subscriptions: new Map(),
      abandoned: false,
    };
    onSocketClose(generation.connection, (code) => {
      if (generation.abandoned || generation !== current || closed) return;
      scheduleRebuild(`socket closed (${code})`);
    });
    for (const address of wanted) subscribe(generation, address);
    return generation;
  }

  function subscribe(generation: Generation, address: string): void {
    // Note: onLogs returns at once; the subscribe call it starts may never settle if the socket drops, and is never awaited.
    const id = generation.connection.onLogs(
      new PublicKey(address),
      (logs) => {
        if (generation !== current) return;
        const now = Date.now();
        lastNotificationAt = now;
        rebuildAttempts = 0;
        notified.set(logs.signature, now);
        suspects.delete(logs.signature);
        options.onActivity(address, logs.signature);
      },
      'confirmed',
    );
    generation.subscriptions.set(address, { id, since: Date.now() });
  }

  async function abandon(generation: Generation): Promise<void> {
    generation.abandoned = true;
    if (abandonSocket(generation.connection)) return;
    await Promise.all(
      [...generation.subscriptions.values()].map(({ id }) =>
        withTimeout(generation.connection.removeOnLogsListener(id), 2_000, 'logsUnsubscribe').catch(() => undefined),
      ),
    );
  }

  function rebuild(reason: string): void {
    if (closed) return;
    clearTimeout(rebuildTimer);
    rebuildTimer = undefined;
    const old = current;
    lastRebuildAt = Date.now();
    suspects.clear();
    current = wanted.length > 0 ? open() : null;
    logger.info({ reason, subscriptions: wanted.length, ws: redactUrl(options.wsUrl) }, 'logs subscriptions made again');
    if (old) void abandon(old);
  }

  function scheduleRebuild(reason: string): void {
    if (closed || rebuildTimer) return;
    // A connection that lived a while was fine: its loss starts the backoff over.
    if (Date.now() - lastRebuildAt > STABLE_AFTER_MS) rebuildAttempts = 0;
    const delay = backoffDelay(rebuildAttempts++, 500, 30_000);
    rebuildTimer = setTimeout(() => rebuild(reason), delay);
  }

  function forgetOld(now: number): void {
    for (const [signature, at] of notified) if (now - at > FORGET_AFTER_MS) notified.delete(signature);
    for (const [signature, at] of suspects) if (now - at > FORGET_AFTER_MS) suspects.delete(signature);
  }

  return {
    watch(addresses) {
      if (closed) return;
      wanted = [...new Set(addresses)];
      if (!current) {
        if (wanted.length > 0) current = open();
        return;
      }
      const keep = new Set(wanted);
      // Note: dropping one subscription means an unsubscribe call that can spin on a stale socket;
      // a fresh Connection without it is cheaper than that risk, and wallets are rarely untracked.
      if ([...current.subscriptions.keys()].some((address) => !keep.has(address))) {
        rebuild('addresses no longer watched');
        return;
      }
      for (const address of wanted) if (!current.subscriptions.has(address)) subscribe(current, address);
    },

    checkMissed(found) {
      if (!current || closed) return;
      const now = Date.now();
      for (const { address, signature, blockTime } of found) {
        const subscription = current.subscriptions.get(address);
        if (!subscription || notified.has(signature) || suspects.has(signature) || blockTime === null) continue;
        if (blockTime * 1000 >= subscription.since + SUBSCRIBE_MARGIN_MS) suspects.set(signature, now);
      }
      forgetOld(now);
      const missed = [...suspects.values()].some((at) => now - at >= graceMs && lastNotificationAt < at);
      if (missed && now - lastRebuildAt >= MIN_REBUILD_INTERVAL_MS) rebuild('transactions found by polling were never notified');
    },

    async close() {
      closed = true;
      clearTimeout(rebuildTimer);
      const last = current;
      current = null;
      if (last) await abandon(last);
    },
  };
}

import { webSocket } from 'viem';
import { redactUrl, type Logger } from '../../logger.js';
import { backoffDelay } from '../backoff.js';
import { deriveWsUrl } from './deriveWsUrl.js';

export type HeadsSubscription = {
  /** Whether new heads are arriving: false before the subscription stands, while it is down, or when there is none. */
  live(): boolean;
  close(): Promise<void>;
};

/** How long a WebSocket may take to accept the subscription before it counts as down. */
const TRY_MS = 5_000;

/**
 * Wakes the follower on every `newHeads` notification. A configured `wsUrl` is used as is; otherwise the URL
 * derived from the first RPC URL (see deriveWsUrl) is tried, and when it never answers the follower quietly keeps
 * polling. A subscription that stood once (or a configured one) is re-opened with backoff after it drops; while it
 * is down, `live()` is false and the follower polls aligned to the next block. One info line says which is used.
 */
export function subscribeNewHeads(options: {
  wsUrl: string | null;
  rpcUrl: string | undefined;
  logger: Logger;
  onHead: () => void;
  /** Backoff between re-opening attempts (default: under 1 s, doubling up to 30 s). */
  retry?: { baseMs: number; maxMs: number };
}): HeadsSubscription {
  const { logger, onHead } = options;
  const retry = options.retry ?? { baseMs: 500, maxMs: 30_000 };
  const configured = options.wsUrl !== null;
  const url = options.wsUrl ?? deriveWsUrl(options.rpcUrl);
  if (url === null) {
    logger.info('no WebSocket to wake on; polling aligned to the next block');
    return { live: () => false, close: async () => {} };
  }
  const shown = redactUrl(url);
  let live = false;
  let closed = false;
  let stoodOnce = false;
  let failures = 0;
  // Note: every socket opened gets a new generation; callbacks of an older (dropped) one are ignored.
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;
  let opening: Promise<void> = Promise.resolve();
  let stopSocket: (() => Promise<void>) | undefined;

  function open(): void {
    const mine = ++generation;
    // Note: viem's own reconnect retries a few times at a fixed delay and then gives up for good; this loop does not.
    const transport = webSocket(url!, { retryCount: 0, reconnect: false, timeout: TRY_MS })({});
    // Note: the socket is opened once here; asking viem for its client later would open another after a refusal.
    let socket: { close(): void } | undefined;
    transport.value!.getRpcClient().then(
      (client) => {
        socket = client;
        if (mine !== generation || closed) client.close();
      },
      () => undefined,
    );
    // Note: closing also drops viem's cached client of this URL, so that the next attempt opens a new socket.
    const closeSocket = async (): Promise<void> => socket?.close();
    const lost = (error: unknown): void => {
      if (mine !== generation || closed) return;
      generation++;
      const wasLive = live;
      live = false;
      stopSocket = undefined;
      // Note: the follower may be in the long pause it takes while heads arrive; woken, it re-plans to aligned polls.
      if (wasLive) onHead();
      void closeSocket();
      failures++;
      if (!configured && !stoodOnce) {
        logger.info({ ws: shown }, 'no WebSocket beside the RPC URL; polling aligned to the next block');
        return;
      }
      const delay = backoffDelay(failures, retry.baseMs, retry.maxMs);
      if (failures === 1) logger.warn({ err: error, ws: shown, retry_ms: delay }, 'newHeads WebSocket down; polling aligned to the next block until it is back');
      else logger.debug({ err: error, ws: shown, retry_ms: delay, failures }, 'newHeads WebSocket still down');
      timer = setTimeout(open, delay);
    };
    opening = (async () => {
      try {
        const subscription = await withTimeout(
          transport.value!.subscribe({
            params: ['newHeads'],
            onData: () => {
              if (mine !== generation) return;
              live = true;
              onHead();
            },
            onError: lost,
          }),
          TRY_MS,
        );
        if (mine !== generation || closed) {
          await subscription.unsubscribe().catch(() => undefined);
          await closeSocket();
          return;
        }
        live = true;
        stoodOnce = true;
        const reopened = failures > 0;
        failures = 0;
        if (reopened) {
          logger.info({ ws: shown }, 'newHeads WebSocket back; waking on new heads again');
          // Note: a head may have come while the socket was down; one wake-up catches up on it at once.
          onHead();
        } else logger.info({ ws: shown, derived: !configured }, 'waking on newHeads over the WebSocket');
        stopSocket = async () => {
          await subscription.unsubscribe().catch(() => undefined);
          await closeSocket();
        };
      } catch (error) {
        lost(error);
      }
    })();
  }

  open();
  return {
    live: () => live,
    async close() {
      closed = true;
      live = false;
      clearTimeout(timer);
      await opening;
      await stopSocket?.();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

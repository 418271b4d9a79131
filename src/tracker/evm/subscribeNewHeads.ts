import WebSocket from 'ws';
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
/** How often the socket is pinged; one that has not answered the last ping by the next is taken as dropped. */
const PING_MS = 30_000;

/**
 * Wakes the follower on every `newHeads` notification (or those of another `subscription`, such as Flashblocks'
 * `newFlashblocks`). A configured `wsUrl` is used as is; otherwise the URL derived from the RPC URL (see
 * deriveWsUrl) is tried, and when it never answers the follower quietly keeps polling. A subscription that stood
 * once (or a configured one) is re-opened with backoff after it drops; while it is down, `live()` is false and the
 * follower polls (`fallback` says how). One info line says which is used.
 */
export function subscribeNewHeads(options: {
  wsUrl: string | null;
  rpcUrl: string | undefined;
  logger: Logger;
  onHead: () => void;
  /** The `eth_subscribe` subscription to wake on; default `newHeads`. */
  subscription?: string;
  /** How the follower polls without the subscription, for the log; default aligned to the next block. */
  fallback?: string;
  /** Backoff between re-opening attempts (default: under 1 s, doubling up to 30 s). */
  retry?: { baseMs: number; maxMs: number };
}): HeadsSubscription {
  const { logger, onHead } = options;
  const retry = options.retry ?? { baseMs: 500, maxMs: 30_000 };
  const kind = options.subscription ?? 'newHeads';
  const fallback = options.fallback ?? 'polling aligned to the next block';
  const configured = options.wsUrl !== null;
  const url = options.wsUrl ?? deriveWsUrl(options.rpcUrl);
  if (url === null) {
    logger.info(`no WebSocket to wake on; ${fallback}`);
    return { live: () => false, close: async () => {} };
  }
  const shown = redactUrl(url);
  let live = false;
  let closed = false;
  let stoodOnce = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  /** The socket open now, and how to drop it; each subscription has a socket of its own. */
  let current: { drop(): void } | undefined;

  function open(): void {
    const socket = new WebSocket(url!, { handshakeTimeout: TRY_MS });
    let subscription: string | null = null;
    let answered = true;
    let ping: NodeJS.Timeout | undefined;
    const accepting = setTimeout(() => lost(new Error(`no subscription within ${TRY_MS} ms`)), TRY_MS);
    const drop = (): void => {
      clearTimeout(accepting);
      clearInterval(ping);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
    };
    const mine = { drop };
    current = mine;
    const lost = (error: Error): void => {
      if (current !== mine) return;
      current = undefined;
      drop();
      if (closed) return;
      const wasLive = live;
      live = false;
      // Note: the follower may be in the long pause it takes while notifications arrive; woken, it re-plans its polls.
      if (wasLive) onHead();
      failures++;
      if (!configured && !stoodOnce) {
        logger.info({ ws: shown, reason: error.message }, `no ${kind} WebSocket beside the RPC URL; ${fallback}`);
        return;
      }
      const delay = backoffDelay(failures, retry.baseMs, retry.maxMs);
      if (failures === 1) logger.warn({ err: error, ws: shown, retry_ms: delay }, `${kind} WebSocket down; ${fallback} until it is back`);
      else logger.debug({ err: error, ws: shown, retry_ms: delay, failures }, `${kind} WebSocket still down`);
      timer = setTimeout(open, delay);
    };
    const stood = (id: string): void => {
      subscription = id;
      clearTimeout(accepting);
      live = true;
      stoodOnce = true;
      const reopened = failures > 0;
      failures = 0;
      if (reopened) {
        logger.info({ ws: shown }, `${kind} WebSocket back; waking on it again`);
        // Note: a notification may have come while the socket was down; one wake-up catches up on it at once.
        onHead();
      } else logger.info({ ws: shown, derived: !configured }, `waking on ${kind} over the WebSocket`);
      ping = setInterval(() => {
        if (!answered) return lost(new Error(`no answer to a ping within ${PING_MS} ms`));
        answered = false;
        socket.ping();
      }, PING_MS);
    };
    socket.on('open', () => socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: [kind] })));
    socket.on('message', (data) => {
      let message: { id?: unknown; result?: unknown; error?: { message?: unknown }; method?: unknown; params?: { subscription?: unknown } };
      try {
        message = JSON.parse(String(data)) as typeof message;
      } catch {
        return;
      }
      if (subscription === null && message.id === 1) {
        if (typeof message.result === 'string') stood(message.result);
        else lost(new Error(`the node refused ${kind}: ${String(message.error?.message ?? 'no subscription id')}`));
      } else if (subscription !== null && message.method === 'eth_subscription' && message.params?.subscription === subscription) {
        live = true;
        onHead();
      }
    });
    socket.on('pong', () => (answered = true));
    socket.on('error', (error) => lost(error));
    socket.on('close', () => lost(new Error('the WebSocket closed')));
  }

  open();
  return {
    live: () => live,
    async close() {
      closed = true;
      live = false;
      clearTimeout(timer);
      current?.drop();
      current = undefined;
    },
  };
}

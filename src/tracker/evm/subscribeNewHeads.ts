import { webSocket } from 'viem';
import { redactUrl, type Logger } from '../../logger.js';
import { deriveWsUrl } from './deriveWsUrl.js';

export type HeadsSubscription = {
  /** Whether new heads are arriving: false before the subscription stands, after it failed, or when there is none. */
  live(): boolean;
  close(): Promise<void>;
};

/** How long a derived WebSocket may take to accept the subscription before polling is kept. */
const TRY_MS = 5_000;

/**
 * Wakes the follower on every `newHeads` notification. A configured `wsUrl` is used (and reconnected) as is;
 * otherwise the URL derived from the first RPC URL (see deriveWsUrl) is tried once, and when it does not
 * answer the follower quietly keeps polling. Either way one info line says which one is used.
 */
export function subscribeNewHeads(options: { wsUrl: string | null; rpcUrl: string | undefined; logger: Logger; onHead: () => void }): HeadsSubscription {
  const { logger, onHead } = options;
  const configured = options.wsUrl !== null;
  const url = options.wsUrl ?? deriveWsUrl(options.rpcUrl);
  let live = false;
  let closed = false;
  if (url === null) {
    logger.info('no WebSocket to wake on; polling aligned to the next block');
    return { live: () => false, close: async () => {} };
  }
  const shown = redactUrl(url);
  const transport = webSocket(url, { retryCount: configured ? 1_000_000 : 0, reconnect: configured, timeout: TRY_MS })({});
  let unsubscribe: (() => Promise<unknown>) | undefined;
  const started = (async () => {
    try {
      const subscription = await withTimeout(
        transport.value!.subscribe({
          params: ['newHeads'],
          onData: () => {
            live = true;
            onHead();
          },
          onError: (error: Error) => {
            live = false;
            logger.debug({ err: error, ws: shown }, 'newHeads subscription error; polling until it is back');
          },
        }),
        TRY_MS,
      );
      unsubscribe = subscription.unsubscribe;
      if (closed) return;
      live = true;
      logger.info({ ws: shown, derived: !configured }, 'waking on newHeads over the WebSocket');
    } catch (error) {
      live = false;
      if (configured) logger.warn({ err: error, ws: shown }, 'the configured WebSocket refused newHeads; polling aligned to the next block');
      else logger.info({ ws: shown }, 'no WebSocket beside the RPC URL; polling aligned to the next block');
      await closeSocket();
    }
  })();

  async function closeSocket(): Promise<void> {
    try {
      (await withTimeout(transport.value!.getRpcClient(), 1_000)).close();
    } catch {
      // Note: a socket that never opened has nothing to close.
    }
  }

  return {
    live: () => live,
    async close() {
      closed = true;
      live = false;
      await started;
      await unsubscribe?.().catch(() => undefined);
      await closeSocket();
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

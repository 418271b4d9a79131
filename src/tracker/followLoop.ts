import type { Logger } from '../logger.js';
import { backoffDelay } from './backoff.js';

export type FollowLoopOptions<E> = {
  signal: AbortSignal;
  logger: Logger;
  /** One pass over the chain up to its head; `first` is true for the first pass after a start or a failure. */
  pass(first: boolean): AsyncIterable<E>;
  /** The pause after a successful pass (it may depend on what the pass saw). */
  idleMs(): number;
  /** Backoff after failures: the first pause is about `baseMs`, doubling up to `maxMs`. */
  backoff: { baseMs: number; maxMs: number };
  /** Starts what wakes the loop early (newHeads, logsSubscribe, wallets_changed); returns how to stop it. */
  subscribe?(wake: () => void): () => void | Promise<void>;
  random?: () => number;
};

/**
 * The one follow loop of every chain driver: runs a pass, yields its events, pauses, and goes again until
 * the signal aborts. A failed pass is logged (once, then quietly) and retried with backoff; a wake-up cuts
 * an idle pause short, and one that came during a pass runs the next pass at once. Note: a wake-up never
 * cuts a backoff short: the node is failing and needs the rest.
 */
export async function* followLoop<E>(options: FollowLoopOptions<E>): AsyncGenerator<E, void, undefined> {
  const { signal, logger } = options;
  let failures = 0;
  let wakeRequested = false;
  let sleeping: { resolve: () => void; interruptible: boolean } | undefined;
  const wake = (): void => {
    wakeRequested = true;
    if (sleeping?.interruptible) sleeping.resolve();
  };
  const onAbort = (): void => sleeping?.resolve();
  signal.addEventListener('abort', onAbort);
  const unsubscribe = options.subscribe?.(wake);
  try {
    let first = true;
    while (!signal.aborted) {
      wakeRequested = false;
      try {
        for await (const event of options.pass(first)) {
          yield event;
          if (signal.aborted) return;
        }
        if (failures > 0) logger.info({ failures }, 'following again');
        failures = 0;
        first = false;
      } catch (error) {
        if (signal.aborted) return;
        if (failures === 0) logger.warn({ err: error }, 'sync failed; retrying with backoff');
        else logger.debug({ err: error }, 'sync failed again');
        failures++;
        first = true;
      }
      if (signal.aborted) return;
      if (wakeRequested && failures === 0) continue;
      const pause = failures > 0 ? backoffDelay(failures, options.backoff.baseMs, options.backoff.maxMs, options.random) : options.idleMs();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pause);
        function done(): void {
          clearTimeout(timer);
          sleeping = undefined;
          resolve();
        }
        sleeping = { resolve: done, interruptible: failures === 0 };
      });
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    sleeping?.resolve();
    await unsubscribe?.();
  }
}

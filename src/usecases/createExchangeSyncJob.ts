import { DEFAULT_EXCHANGES } from '../config/exchangesConfig.js';
import { dueExchangeAccounts } from '../db/exchangeQueries.js';
import { isExchangeChain } from '../tracker/exchange/exchangeKinds.js';
import { syncExchangeAccount, type ExchangeSyncDeps, type ExchangeSyncResult } from './syncExchangeAccount.js';

export type ExchangeSyncJob = {
  start(): void;
  stop(): Promise<void>;
  /** Syncs every account that is due now, one after another; what each did. */
  runOnce(now?: Date): Promise<ExchangeSyncResult[]>;
};

// Note: how often due accounts are looked for; each account keeps its own pace (EXCHANGE_SYNC_SECONDS, or its backoff).
const TICK_MS = 5_000;

/** The scheduled sync of the exchange accounts of every workspace; a new account is synced at the next tick. */
export function createExchangeSyncJob(deps: ExchangeSyncDeps): ExchangeSyncJob {
  const settings = deps.config.exchanges ?? DEFAULT_EXCHANGES;
  const log = deps.logger.child({ component: 'exchange' });
  const syncDeps: ExchangeSyncDeps = { ...deps, markets: deps.markets ?? new Map() };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  let stopped = true;
  let halted = false;
  let unsubscribe: (() => void) | undefined;

  async function runOnce(now = new Date()): Promise<ExchangeSyncResult[]> {
    const results: ExchangeSyncResult[] = [];
    for (const account of await dueExchangeAccounts(deps.db, now)) {
      if (halted) break;
      results.push(await syncExchangeAccount(syncDeps, account, now));
    }
    return results;
  }

  function tick(): void {
    if (busy || stopped) return;
    busy = true;
    running = runOnce()
      .catch((error: unknown) => log.warn({ err: error }, 'exchange sync pass failed; trying again at the next tick'))
      .finally(() => {
        busy = false;
      });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      halted = false;
      timer = setInterval(tick, Math.min(TICK_MS, settings.syncMs));
      timer.unref();
      unsubscribe = deps.events.on('wallets_changed', (event) => {
        if (event.chains.some(isExchangeChain)) setImmediate(tick);
      });
      tick();
    },
    async stop() {
      stopped = true;
      halted = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      unsubscribe?.();
      await running;
    },
    runOnce,
  };
}

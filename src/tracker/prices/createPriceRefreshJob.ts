import type { Common } from '../../app/common.js';
import { findUnpricedTrades, heldAssets, setTradeUsdValue } from '../../db/priceQueries.js';
import { decimalsKnown, findTokens } from '../../db/tokenQueries.js';
import { NATIVE } from '../walletDeltas.js';
import type { PriceService } from './createPriceService.js';

export type PriceRefreshJob = {
  start(): void;
  stop(): void;
  /** One round: open positions' current prices refreshed, then unpriced recent trades priced again. */
  runOnce(): Promise<{ refreshed: number; repriced: number }>;
};

export type PriceRefreshJobOptions = {
  /** Between rounds; the configuration's `PRICE_REFRESH_SECONDS` by default. */
  intervalMs?: number;
  /** How far back (block time) unpriced trades are priced again; 90 days by default. */
  retryWindowMs?: number;
  /** Unpriced trades tried per round, newest first, going further back each round; 200 by default. */
  retryBatch?: number;
  now?: () => Date;
};

/**
 * The price job of `lookout run`: every interval it refreshes the current prices of the assets the followed
 * wallets hold (so `/pnl` answers with fresh prices, in one request per source and chain) and prices again the
 * recent trades left unpriced because a source was down or rate-limited, updating their USD value only
 * (their alerts are not sent again). It logs which price sources are on when it starts.
 */
export function createPriceRefreshJob(
  common: Pick<Common, 'db' | 'config' | 'logger' | 'shutdown'>,
  prices: PriceService,
  options: PriceRefreshJobOptions = {},
): PriceRefreshJob {
  const { db, config } = common;
  const log = common.logger.child({ component: 'price-refresh' });
  const intervalMs = options.intervalMs ?? config.prices.refreshMs;
  const retryWindowMs = options.retryWindowMs ?? 90 * 24 * 60 * 60 * 1000;
  const retryBatch = options.retryBatch ?? 200;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let first: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  // Note: each round goes on below the last trade the previous one tried, so trades that no source can price
  // (yet) do not hide older ones; after the oldest, it starts again from the newest.
  let retryBelow: number | undefined;

  async function refreshHeld(): Promise<number> {
    let refreshed = 0;
    for (const chain of config.followed) {
      const stable = new Set(chain.stablecoins);
      const assets = (await heldAssets(db, chain.name)).filter((asset) => !stable.has(asset));
      if (assets.length === 0) continue;
      refreshed += (await prices.currentPrices(chain.name, assets)).size;
    }
    return refreshed;
  }

  async function retryUnpriced(): Promise<number> {
    const chains = new Map(config.followed.map((chain) => [chain.name, chain]));
    const unpriced = await findUnpricedTrades(db, [...chains.keys()], new Date(now().getTime() - retryWindowMs), retryBatch, retryBelow);
    retryBelow = unpriced.length === retryBatch ? unpriced[unpriced.length - 1]!.id : undefined;
    let repriced = 0;
    for (const trade of unpriced) {
      const chain = chains.get(trade.chain)!;
      const legs = [trade.baseAsset, trade.quoteAsset].filter((asset): asset is string => asset !== null && asset !== NATIVE);
      const tokens = new Map<string, { decimals: number; isStablecoin: boolean }>([[NATIVE, { decimals: chain.nativeDecimals, isStablecoin: false }]]);
      for (const token of await findTokens(db, chain.name, legs)) {
        // Note: a token whose decimals are a placeholder gets no price, which would be off by powers of ten.
        if (decimalsKnown(token)) tokens.set(token.address, { decimals: token.decimals, isStablecoin: token.isStablecoin });
      }
      const base = trade.baseAsset !== null && trade.baseAmount !== null ? { asset: trade.baseAsset, amount: trade.baseAmount } : null;
      const quote = trade.quoteAsset !== null && trade.quoteAmount !== null ? { asset: trade.quoteAsset, amount: trade.quoteAmount } : null;
      const price = await prices.priceTrade({ blockNumber: trade.blockNumber, blockTime: trade.blockTime, base, quote }, tokens, chain.name);
      if (price.usdValue === null || !(await setTradeUsdValue(db, trade.id, price.usdValue))) continue;
      repriced++;
      if (price.priceUsd !== null && base && trade.blockTime && (trade.kind === 'buy' || trade.kind === 'sell' || trade.kind === 'swap')) {
        await prices.recordTradePrice(chain.name, base.asset, price.priceUsd, trade.blockNumber, trade.blockTime);
      }
    }
    return repriced;
  }

  async function runOnce(): Promise<{ refreshed: number; repriced: number }> {
    const refreshed = await refreshHeld();
    const repriced = await retryUnpriced();
    if (repriced > 0) log.info({ trades: repriced }, 'trades left unpriced are priced now');
    log.debug({ refreshed }, 'current prices refreshed');
    return { refreshed, repriced };
  }

  function tick(): void {
    // Note: a round still running (a slow source) is not overlapped; the next tick tries again.
    if (running || !timer) return;
    running = runOnce()
      .catch((error: unknown) => log.warn({ err: error }, 'price refresh failed; trying again at the next interval'))
      .finally(() => (running = undefined));
  }

  function stop(): void {
    clearInterval(timer);
    clearTimeout(first);
    timer = undefined;
  }

  return {
    runOnce,
    start() {
      if (timer) return;
      const names = config.prices.sources;
      log.info(
        { price_sources: names, refresh_s: Math.round(intervalMs / 1000) },
        `price sources on: ${names.length > 0 ? names.join(', ') : 'none (stablecoin legs only)'}`,
      );
      timer = setInterval(tick, intervalMs);
      timer.unref();
      // The first round soon after start, for the prices of positions held across a restart.
      first = setTimeout(tick, Math.min(intervalMs, 10_000));
      first.unref();
      common.shutdown.add(async () => {
        stop();
        await running;
      });
    },
    stop,
  };
}

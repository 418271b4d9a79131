import { createQuickChartRenderer } from '../charts/createQuickChartRenderer.js';
import type { ChartRenderer } from '../charts/ChartRenderer.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import type { PnlPrice } from '../tracker/pnl/types.js';
import type { LatestPrice, PriceService } from '../tracker/prices/createPriceService.js';

/** What commands need beyond the database: current prices (with source and age) and a chart renderer, as configured. */
export function createCommandServices(
  config: LookoutConfig,
  prices: PriceService,
): {
  prices: (chain: string, asset: string) => Promise<PnlPrice | null>;
  /** Current prices of many assets of one chain, one request per source for those due a refresh. */
  pricesOf: (chain: string, assets: readonly string[]) => Promise<Map<string, PnlPrice>>;
  charts: ChartRenderer;
} {
  return {
    // Note: a price older than the refresh interval is asked again before the answer, and with it every asset of
    // the chain that is due, in one request per source.
    prices: async (chain, asset) => {
      const latest = await prices.latestPrice(chain, asset);
      return latest && toPnlPrice(latest);
    },
    pricesOf: async (chain, assets) => {
      const latest = await prices.currentPrices(chain, assets);
      return new Map([...latest].map(([asset, price]) => [asset, toPnlPrice(price)]));
    },
    charts: config.quickchart ? createQuickChartRenderer(config.quickchart) : createLazyLocalChartRenderer(),
  };
}

/**
 * The local renderer, loaded on the first chart: @napi-rs/canvas and chart.js take about 30 MiB, which a Lookout
 * that never draws a chart does not need to hold.
 */
function createLazyLocalChartRenderer(): ChartRenderer {
  let local: Promise<ChartRenderer> | undefined;
  return {
    async renderChart(config, size) {
      local ??= import('../charts/createLocalChartRenderer.js').then((module) => module.createLocalChartRenderer());
      return (await local).renderChart(config, size);
    },
  };
}

function toPnlPrice(price: LatestPrice): PnlPrice {
  return { priceUsd: price.priceUsd, at: price.observedAt, source: price.source, stale: price.stale };
}

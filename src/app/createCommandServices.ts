import { createLocalChartRenderer } from '../charts/createLocalChartRenderer.js';
import { createQuickChartRenderer } from '../charts/createQuickChartRenderer.js';
import type { ChartRenderer } from '../charts/ChartRenderer.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import type { PnlPrice } from '../tracker/pnl/types.js';
import type { PriceService } from '../tracker/prices/createPriceService.js';

/** What commands need beyond the database: current prices and a chart renderer, as configured. */
export function createCommandServices(
  config: LookoutConfig,
  prices: PriceService,
): { prices: (chain: string, asset: string) => Promise<PnlPrice | null>; charts: ChartRenderer } {
  return {
    prices: async (chain, asset) => {
      const latest = await prices.latestPrice(chain, asset);
      return latest && { priceUsd: latest.priceUsd, at: latest.observedAt };
    },
    charts: config.quickchart ? createQuickChartRenderer(config.quickchart) : createLocalChartRenderer(),
  };
}

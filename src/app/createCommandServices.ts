import { createLocalChartRenderer } from '../charts/createLocalChartRenderer.js';
import { createQuickChartRenderer } from '../charts/createQuickChartRenderer.js';
import type { ChartRenderer } from '../charts/ChartRenderer.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import { latestTradePrice } from '../db/latestTradePrice.js';
import type { Db } from '../db/openDatabase.js';
import type { PnlPrice } from '../tracker/pnl/types.js';

/** What commands need beyond the database: current prices and a chart renderer, as configured. */
export function createCommandServices(db: Db, config: LookoutConfig): {
  prices: (chain: string, asset: string) => Promise<PnlPrice | null>;
  charts: ChartRenderer;
} {
  return {
    prices: (chain, asset) => latestTradePrice(db, chain, asset),
    charts: config.quickchart ? createQuickChartRenderer(config.quickchart) : createLocalChartRenderer(),
  };
}

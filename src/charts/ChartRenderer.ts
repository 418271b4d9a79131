import type { ChartConfig, ChartSize } from './ChartConfig.js';

/** Draws a chart configuration as a PNG image of the given size. */
export type ChartRenderer = {
  renderChart(config: ChartConfig, size: ChartSize): Promise<Buffer>;
};

import type { ChartConfiguration } from 'chart.js';

// Note: configurations are plain JSON (no functions, no Dates) so that the same object can be
// drawn in process or sent to a QuickChart server.

/** A Chart.js v4 configuration built by this folder: line, doughnut or bar, labels as strings. */
export type ChartConfig =
  | ChartConfiguration<'line', number[], string>
  | ChartConfiguration<'doughnut', number[], string>
  | ChartConfiguration<'bar', number[], string>;

/** Pixel size of a rendered chart. */
export type ChartSize = { width: number; height: number };

import type { ChartRenderer } from '../charts/ChartRenderer.js';
import type { UseCaseDeps } from '../usecases/UseCaseDeps.js';

/** What every command gets: what the use cases need, and a chart renderer for the answers that draw. */
export type CommandContext = UseCaseDeps & {
  /** Draws charts to PNG: locally, or on a QuickChart server. */
  charts: ChartRenderer;
};

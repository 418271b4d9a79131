import type { PnlReport } from '../tracker/pnl/types.js';
import type { Rational } from '../tracker/pnl/Rational.js';
import type { ChartConfig } from './ChartConfig.js';
import { allocationChart } from './allocationChart.js';
import { pnlByTokenChart } from './pnlByTokenChart.js';
import { portfolioValueChart } from './portfolioValueChart.js';

/** The charts of a PnL answer: PnL by token (bars), allocation (doughnut), value over time (line); null where there is nothing to draw. */
export type PnlCharts = { pnl: ChartConfig | null; allocation: ChartConfig | null; value: ChartConfig | null };

/**
 * The charts of a report, as the /pnl command draws them: PnL by token of the positions held or realized, the
 * allocation of those with a value, and the value series once it has two points.
 */
export function pnlCharts(report: PnlReport, valueSeries: readonly { at: Date; valueUsd: Rational }[]): PnlCharts {
  const cents = (value: Rational) => value.round(2);
  const held = report.positions.filter(
    (position) => position.amount !== 0n || !cents(position.realizedUsd).isZero() || !cents(position.unknownProceedsUsd).isZero(),
  );
  return {
    pnl: held.length ? pnlByTokenChart(held, report) : null,
    allocation: report.positions.some((position) => position.valueUsd !== null && !cents(position.valueUsd).isZero())
      ? allocationChart(report.positions)
      : null,
    value: valueSeries.length >= 2 ? portfolioValueChart(valueSeries) : null,
  };
}

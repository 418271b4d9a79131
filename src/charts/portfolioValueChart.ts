import type { ChartConfiguration } from 'chart.js';
import { chartPalette } from './chartPalette.js';
import { plotNumber } from './plotNumber.js';
import { formatUsd } from '../tracker/formatAmount.js';
import { Rational } from '../tracker/pnl/Rational.js';
import { usdAmount, type UsdAmount } from './usdAmount.js';
import { usdTicks } from './usdTicks.js';

/** One sample of the portfolio value. */
export type PortfolioValuePoint = { at: Date; valueUsd: UsdAmount };

const TWO_DAYS_MS = 2 * 86_400_000;

// Labels are UTC: the chart is shared in a channel whose readers live in different time zones.
function labelFormatter(points: readonly PortfolioValuePoint[]): (at: Date) => string {
  const first = points[0]?.at.getTime() ?? 0;
  const last = points[points.length - 1]?.at.getTime() ?? 0;
  return last - first <= TWO_DAYS_MS
    ? (at) => `${at.toISOString().slice(5, 10)} ${at.toISOString().slice(11, 16)}`
    : (at) => at.toISOString().slice(0, 10);
}

/** The title: the latest value, and how it changed since the first point. */
function title(sorted: readonly PortfolioValuePoint[]): string {
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (!first || !last) return 'Portfolio value (UTC)';
  const change = usdAmount(last.valueUsd).sub(usdAmount(first.valueUsd));
  const start = usdAmount(first.valueUsd);
  const percent = start.sign() > 0 ? ` (${change.sign() < 0 ? '' : '+'}${change.div(start).mul(Rational.of(100n)).toFixed(1)}%)` : '';
  const signed = `${change.sign() < 0 ? '' : '+'}${formatUsd(change.toFixed(2))}`;
  return `Portfolio value ${formatUsd(typeof last.valueUsd === 'string' ? last.valueUsd : last.valueUsd.toFixed(2))} · ${signed}${percent} over the period (UTC)`;
}

/** A line chart of the portfolio value over time, oldest point first, in straight segments so no curve passes a value never held. */
export function portfolioValueChart(points: readonly PortfolioValuePoint[]): ChartConfiguration<'line', number[], string> {
  const sorted = [...points].sort((a, b) => a.at.getTime() - b.at.getTime());
  const label = labelFormatter(sorted);
  return {
    type: 'line',
    data: {
      labels: sorted.map((point) => label(point.at)),
      datasets: [
        {
          label: 'Value (USD)',
          data: sorted.map((point) => plotNumber(point.valueUsd)),
          borderColor: chartPalette.line,
          backgroundColor: chartPalette.lineFill,
          borderWidth: 2,
          fill: true,
          pointRadius: sorted.length > 40 ? 0 : 2,
          tension: 0,
        },
      ],
    },
    options: {
      plugins: {
        title: { display: true, text: title(sorted), color: chartPalette.text },
        legend: { display: false },
      },
      scales: {
        x: { ticks: { maxTicksLimit: 8, maxRotation: 0, color: chartPalette.text } },
        y: { beginAtZero: false, ticks: { color: chartPalette.text, ...usdTicks } },
      },
    },
  };
}

import type { ChartConfiguration } from 'chart.js';
import { Rational } from '../tracker/pnl/Rational.js';
import { chartPalette } from './chartPalette.js';
import { plotNumber } from './plotNumber.js';
import { tokenLabel } from './tokenLabel.js';

/** Realized and unrealized PnL of one token; a position of a PnL report JSON fits. */
export type PnlByTokenRow = { symbol: string | null; token: string; realizedUsd: string; unrealizedUsd: string | null };

const MAX_BARS = 12;

/**
 * Bars of realized (solid) and unrealized (light) PnL per token, each bar green for a gain and
 * red for a loss; the tokens that moved most by absolute total come first.
 */
export function pnlByTokenChart(rows: readonly PnlByTokenRow[]): ChartConfiguration<'bar', number[], string> {
  const bars = rows
    .map((row) => {
      const realized = Rational.parse(row.realizedUsd);
      const unrealized = row.unrealizedUsd === null ? Rational.ZERO : Rational.parse(row.unrealizedUsd);
      return { label: tokenLabel(row.symbol, row.token), realized, unrealized, total: realized.add(unrealized).abs() };
    })
    .sort((a, b) => b.total.compare(a.total))
    .slice(0, MAX_BARS);
  const colour = (value: Rational, gain: string, loss: string) => (value.sign() < 0 ? loss : gain);
  return {
    type: 'bar',
    data: {
      labels: bars.map((bar) => bar.label),
      datasets: [
        {
          label: 'Realized',
          data: bars.map((bar) => plotNumber(bar.realized)),
          backgroundColor: bars.map((bar) => colour(bar.realized, chartPalette.gain, chartPalette.loss)),
        },
        {
          label: 'Unrealized',
          data: bars.map((bar) => plotNumber(bar.unrealized)),
          backgroundColor: bars.map((bar) => colour(bar.unrealized, chartPalette.gainLight, chartPalette.lossLight)),
        },
      ],
    },
    options: {
      plugins: {
        title: { display: true, text: 'PnL by token (USD): realized solid, unrealized light', color: chartPalette.text },
        legend: { display: false },
      },
      scales: {
        x: { ticks: { color: chartPalette.text } },
        y: { ticks: { color: chartPalette.text }, grid: { color: '#e5e7eb' } },
      },
    },
  };
}

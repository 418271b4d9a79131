import type { ChartConfiguration } from 'chart.js';
import { formatUsd } from '../tracker/formatAmount.js';
import { Rational } from '../tracker/pnl/Rational.js';
import { chartPalette } from './chartPalette.js';
import { plotNumber } from './plotNumber.js';
import { tokenLabel } from './tokenLabel.js';
import { usdAmount, type UsdAmount } from './usdAmount.js';
import { usdTicks } from './usdTicks.js';

/** Realized and unrealized PnL of one token; a position of a PnL report JSON fits. */
export type PnlByTokenRow = { symbol: string | null; token: string; realizedUsd: UsdAmount; unrealizedUsd: UsdAmount | null };

/** The report's totals, for the title; without them the title sums the rows shown. */
export type PnlTotals = { realizedUsd: UsdAmount; unrealizedUsd: UsdAmount };

const MAX_BARS = 12;

const signedUsd = (value: Rational) => `${value.sign() < 0 ? '' : '+'}${formatUsd(value.toFixed(2))}`;

// Note: one stack per token, so each bar stands centred on its label; realized and unrealized,
// gain and loss are four datasets so that the legend names every colour drawn.
/**
 * One bar per token of realized (solid) and unrealized (light) PnL, green for a gain and red for a
 * loss, stacked; the tokens that moved most by absolute total come first, and the title gives the totals.
 */
export function pnlByTokenChart(rows: readonly PnlByTokenRow[], totals?: PnlTotals): ChartConfiguration<'bar', number[], string> {
  const bars = rows
    .map((row) => {
      const realized = usdAmount(row.realizedUsd);
      const unrealized = row.unrealizedUsd === null ? Rational.ZERO : usdAmount(row.unrealizedUsd);
      return { label: tokenLabel(row.symbol, row.token), realized, unrealized, total: realized.add(unrealized).abs() };
    })
    .sort((a, b) => b.total.compare(a.total))
    .slice(0, MAX_BARS);
  const realizedTotal = totals ? usdAmount(totals.realizedUsd) : bars.reduce((sum, bar) => sum.add(bar.realized), Rational.ZERO);
  const unrealizedTotal = totals ? usdAmount(totals.unrealizedUsd) : bars.reduce((sum, bar) => sum.add(bar.unrealized), Rational.ZERO);
  const part = (label: string, pick: (bar: (typeof bars)[number]) => Rational, sign: 1 | -1, colour: string) => ({
    label,
    data: bars.map((bar) => (pick(bar).sign() === sign ? plotNumber(pick(bar)) : 0)),
    backgroundColor: colour,
    stack: 'pnl',
    maxBarThickness: 64,
  });
  return {
    type: 'bar',
    data: {
      labels: bars.map((bar) => bar.label),
      // A part with nothing to draw would only add a legend entry for a colour that is not there.
      datasets: [
        part('Realized gain', (bar) => bar.realized, 1, chartPalette.gain),
        part('Realized loss', (bar) => bar.realized, -1, chartPalette.loss),
        part('Unrealized gain', (bar) => bar.unrealized, 1, chartPalette.gainLight),
        part('Unrealized loss', (bar) => bar.unrealized, -1, chartPalette.lossLight),
      ].filter((set, index) => index === 0 || set.data.some((value) => value !== 0)),
    },
    options: {
      plugins: {
        title: {
          display: true,
          text: `PnL by token · realized ${signedUsd(realizedTotal)} · unrealized ${signedUsd(unrealizedTotal)}`,
          color: chartPalette.text,
        },
        legend: { display: true, position: 'bottom', labels: { color: chartPalette.text } },
      },
      scales: {
        x: { stacked: true, ticks: { color: chartPalette.text } },
        y: { stacked: true, grace: '5%', ticks: { color: chartPalette.text, ...usdTicks }, grid: { color: '#e5e7eb' } },
      },
    },
  };
}

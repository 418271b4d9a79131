import type { ChartConfiguration } from 'chart.js';
import { Rational } from '../tracker/pnl/Rational.js';
import { chartPalette } from './chartPalette.js';
import { plotNumber } from './plotNumber.js';
import { tokenLabel } from './tokenLabel.js';
import { formatUsd } from '../tracker/formatAmount.js';
import { usdAmount, type UsdAmount } from './usdAmount.js';

/** A held position as the allocation chart needs it; a position of a PnL report JSON fits. */
export type AllocationInput = { symbol: string | null; token: string; valueUsd: UsdAmount | null };

const MAX_SLICES = 8;

/** A doughnut of the value held per token: the largest slices, the rest grouped as "Other". */
export function allocationChart(positions: readonly AllocationInput[]): ChartConfiguration<'doughnut', number[], string> {
  // Positions without a price or worth nothing have no slice to draw.
  const valued = positions
    .flatMap((position) => {
      const value = position.valueUsd === null ? null : usdAmount(position.valueUsd);
      return value && value.sign() > 0 ? [{ label: tokenLabel(position.symbol, position.token), value }] : [];
    })
    .sort((a, b) => b.value.compare(a.value));
  const slices = valued.length <= MAX_SLICES ? valued : valued.slice(0, MAX_SLICES - 1);
  const rest = valued.slice(slices.length);
  if (rest.length > 0) {
    slices.push({ label: `Other (${rest.length})`, value: rest.reduce((sum, slice) => sum.add(slice.value), Rational.ZERO) });
  }
  const total = slices.reduce((sum, slice) => sum.add(slice.value), Rational.ZERO);
  // Value and share in each legend label: the chart reads without hovering, in a chat or a file.
  const share = (value: Rational) => `${value.div(total).mul(Rational.of(100n)).toFixed(1)}%`;
  return {
    type: 'doughnut',
    data: {
      labels: slices.map((slice) => `${slice.label} ${formatUsd(slice.value.toFixed(2))} (${share(slice.value)})`),
      datasets: [
        {
          label: 'Value (USD)',
          data: slices.map((slice) => plotNumber(slice.value)),
          backgroundColor: slices.map((_, index) => chartPalette.slices[index % chartPalette.slices.length]!),
          borderColor: '#ffffff',
          borderWidth: 2,
        },
      ],
    },
    options: {
      plugins: {
        title: { display: true, text: `Allocation · ${formatUsd(total.toFixed(2))} held`, color: chartPalette.text },
        legend: { display: true, position: 'right', labels: { color: chartPalette.text } },
      },
    },
  };
}

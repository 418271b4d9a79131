import { formatUsd } from '../../tracker/formatAmount.js';
import { Rational } from '../../tracker/pnl/Rational.js';
import { compareDecimal } from '../../tracker/routeAlert.js';
import type { FeeEstimate } from '../../tracker/ChainDriver.js';
import { gasEstimates, type GasDeps, type GasEstimate } from '../../usecases/gasEstimates.js';
import type { CommandContext } from '../commandContext.js';
import type { Line, Reply } from '../reply.js';

/** `/gas` and `lookout gas`: the current fees of every followed chain, one block each; a chain that does not answer gets one line. */
export async function gas(ctx: Pick<CommandContext, 'config' | 'prices'> & Pick<GasDeps, 'openDriver' | 'timeoutMs'>): Promise<Reply> {
  const estimates = await gasEstimates(ctx);
  return {
    title: 'Network fees now',
    tone: 'info',
    lines: estimates.length ? estimates.flatMap(gasLines) : ['No chain is followed.'],
    data: estimates.map(gasJson),
  };
}

function gasLines(entry: GasEstimate): Line[] {
  switch (entry.status) {
    case 'unreachable':
      return [[{ text: entry.chain, bold: true }, { text: `: no fee estimate, ${entry.reason}.` }]];
    case 'unsupported':
      return [[{ text: entry.chain, bold: true }, { text: ': Lookout cannot read fees on this chain yet.' }]];
    case 'ok': {
      const { estimate } = entry;
      const base = estimate.baseFee === null ? '' : estimate.unit === 'gwei' ? ` (base ${estimate.baseFee} gwei)` : ` (+ ${estimate.baseFee} lamports a signature)`;
      const lines: Line[] = [
        [
          { text: estimate.chain, bold: true },
          { text: `: slow ${estimate.levels.slow} · normal ${estimate.levels.normal} · fast ${estimate.levels.fast} ${estimate.unit}${base}` },
        ],
      ];
      for (const cost of estimate.costs) lines.push(`  ${cost.action} (${cost.units}): ${costText(cost)}`);
      return lines;
    }
  }
}

/** Slow / normal / fast: in USD to the cent, or exact in the native coin when no price is known. */
function costText(cost: FeeEstimate['costs'][number]): string {
  const levels = (['slow', 'normal', 'fast'] as const).map((level) => (cost.usd ? usdText(cost.usd[level]) : cost.native[level]));
  return cost.usd ? levels.join(' / ') : `${levels.join(' / ')} in the native coin (no USD price)`;
}

/** USD to the cent, and a cost under a cent to its first significant digits: `$0.0004`. */
function usdText(value: string): string {
  if (compareDecimal(value, '0.01') >= 0 || compareDecimal(value, '0') === 0) return formatUsd(value);
  const fraction = value.split('.')[1] ?? '';
  const significant = fraction.search(/[1-9]/);
  return `$${Rational.parse(value).toDecimalString(significant + 2)}`;
}

/** The `--json` object of one chain: every figure an exact decimal string. */
export function gasJson(entry: GasEstimate): Record<string, unknown> {
  if (entry.status !== 'ok') return { chain: entry.chain, status: entry.status, ...(entry.status === 'unreachable' ? { reason: entry.reason } : {}) };
  const { estimate } = entry;
  return {
    chain: estimate.chain,
    status: 'ok',
    unit: estimate.unit,
    levels: estimate.levels,
    baseFee: estimate.baseFee,
    nativeUsd: estimate.nativeUsd,
    costs: estimate.costs,
    observedAt: estimate.observedAt.toISOString(),
  };
}

import { toDecimalString } from './formatAmount.js';
import { Rational } from './pnl/Rational.js';
import type { FeeLevels } from './ChainDriver.js';

/** The nearest-rank percentile of integer samples (`p` from 0 to 100): the smallest sample with at least p% at or below it. */
export function percentile(samples: readonly bigint[], p: number): bigint {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  const sorted = [...samples].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** The mean of integer samples, rounded down; 0 for none. */
export function meanOf(samples: readonly bigint[]): bigint {
  if (samples.length === 0) return 0n;
  return samples.reduce((sum, sample) => sum + sample, 0n) / BigInt(samples.length);
}

/** Applies `f` to each level. */
export function mapLevels<T>(levels: { slow: T; normal: T; fast: T }, f: (value: T) => string): FeeLevels {
  return { slow: f(levels.slow), normal: f(levels.normal), fast: f(levels.fast) };
}

/** A raw native amount's value in USD, exact: whole units times the price, with every digit kept. */
export function usdOf(raw: bigint, decimals: number, priceUsd: string): string {
  const digits = decimals + (priceUsd.split('.')[1]?.length ?? 0);
  return Rational.fromRaw(raw, decimals).mul(Rational.parse(priceUsd)).toDecimalString(digits);
}

/** Raw native costs at each level as whole units and, with a price, USD. */
export function costOf(raw: { slow: bigint; normal: bigint; fast: bigint }, decimals: number, priceUsd: string | null): { native: FeeLevels; usd: FeeLevels | null } {
  return {
    native: mapLevels(raw, (value) => toDecimalString(value, decimals)),
    usd: priceUsd === null ? null : mapLevels(raw, (value) => usdOf(value, decimals, priceUsd)),
  };
}

/** A whole-unit decimal amount's value in USD, exact. */
export function usdOfDecimal(amount: string, priceUsd: string): string {
  const digits = (amount.split('.')[1]?.length ?? 0) + (priceUsd.split('.')[1]?.length ?? 0);
  return Rational.parse(amount).mul(Rational.parse(priceUsd)).toDecimalString(digits);
}

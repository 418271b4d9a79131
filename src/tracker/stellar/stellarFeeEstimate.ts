import { RetryableError } from '../../errors/LookoutError.js';
import type { FeeEstimate } from '../ChainDriver.js';
import { costOf, mapLevels } from '../feeMath.js';

/** The part of Horizon's `/fee_stats` Lookout reads: the fees charged per operation over the last ledgers, in stroops. */
export type HorizonFeeStats = { last_ledger_base_fee?: string; fee_charged?: Record<string, string> };

/** The percentiles of the fees charged shown as slow, normal and fast. */
const PERCENTILES = { slow: 'p10', normal: 'p50', fast: 'p90' } as const;

/**
 * Stellar's fees as `/gas` shows them, from Horizon's `/fee_stats`: the fee charged per operation over the last
 * ledgers at the 10th, 50th and 90th percentile (never under the base fee), and what a payment and a path
 * payment (one operation each) cost at each; pure.
 */
export function stellarFeeEstimate(chain: { name: string; nativeDecimals: number }, stats: HorizonFeeStats | null, observedAt: Date): FeeEstimate {
  const charged = stats?.fee_charged;
  const base = stats?.last_ledger_base_fee;
  const stroops = (field: string): bigint => {
    const text = charged?.[field];
    if (text === undefined || !/^\d+$/.test(text)) throw new RetryableError('Horizon gave no fee statistics; asking again later.', { details: `fee_charged.${field}: ${text}` });
    const value = BigInt(text);
    return base !== undefined && /^\d+$/.test(base) && value < BigInt(base) ? BigInt(base) : value;
  };
  const levels = { slow: stroops(PERCENTILES.slow), normal: stroops(PERCENTILES.normal), fast: stroops(PERCENTILES.fast) };
  const oneOperation = costOf(levels, chain.nativeDecimals, null);
  return {
    chain: chain.name,
    unit: 'stroops/op',
    levels: mapLevels(levels, String),
    baseFee: null,
    nativeUsd: null,
    costs: [
      { action: 'transfer', units: '1 op', ...oneOperation },
      { action: 'swap', units: '1 op', ...oneOperation },
    ],
    observedAt,
  };
}

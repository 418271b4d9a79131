import { describe, expect, it } from 'vitest';
import { stellarFeeEstimate } from './stellarFeeEstimate.js';

const chain = { name: 'stellar', nativeDecimals: 7 };
const at = new Date('2026-01-01T00:00:00Z');

describe('stellarFeeEstimate', () => {
  it('behavior: slow, normal and fast are the 10th, 50th and 90th percentile of the fees charged, never under the base fee', () => {
    const estimate = stellarFeeEstimate(chain, { last_ledger_base_fee: '100', fee_charged: { p10: '90', p50: '250', p90: '12345' } }, at);
    expect(estimate.levels).toEqual({ slow: '100', normal: '250', fast: '12345' });
    expect(estimate.costs[0]).toEqual({ action: 'transfer', units: '1 op', native: { slow: '0.00001', normal: '0.000025', fast: '0.0012345' }, usd: null });
  });

  it('error: statistics without the fees charged, or with a fee that is not a whole number of stroops, are asked again later', () => {
    expect(() => stellarFeeEstimate(chain, null, at)).toThrow(/no fee statistics/);
    expect(() => stellarFeeEstimate(chain, { fee_charged: { p10: '100', p50: '1.5', p90: '200' } }, at)).toThrow(/no fee statistics/);
  });
});

import { describe, expect, it } from 'vitest';
import { costOf, meanOf, percentile, usdOf, usdOfDecimal } from './feeMath.js';
import { evmFeeEstimate, type FeeHistory } from './evm/readEvmFeeEstimate.js';
import { solanaFeeEstimate } from './solana/readSolanaFeeEstimate.js';

const gwei = (value: number) => `0x${(BigInt(Math.round(value * 1e6)) * 10n ** 3n).toString(16)}`;

describe('percentile', () => {
  it('behavior: nearest rank over the sorted samples', () => {
    const samples = [50n, 10n, 40n, 20n, 30n];
    expect(percentile(samples, 0)).toBe(10n);
    expect(percentile(samples, 10)).toBe(10n);
    expect(percentile(samples, 25)).toBe(20n);
    expect(percentile(samples, 50)).toBe(30n);
    expect(percentile(samples, 75)).toBe(40n);
    expect(percentile(samples, 90)).toBe(50n);
    expect(percentile(samples, 100)).toBe(50n);
    expect(percentile([7n], 99)).toBe(7n);
    expect(() => percentile([], 50)).toThrow(RangeError);
  });

  it('behavior: the mean rounds down to a whole unit', () => {
    expect(meanOf([1n, 2n])).toBe(1n);
    expect(meanOf([10n ** 30n, 10n ** 30n + 2n])).toBe(10n ** 30n + 1n);
    expect(meanOf([])).toBe(0n);
  });

  it('behavior: USD values keep every digit', () => {
    // 21,000 × 1.234567891 gwei = 0.000025925925711 ETH, × $3,312.25.
    expect(usdOf(21_000n * 1_234_567_891n, 18, '3312.25')).toBe('0.08587314743625975');
    expect(usdOfDecimal('0.000005', '142.5')).toBe('0.0007125');
    expect(costOf({ slow: 1n, normal: 2n, fast: 3n }, 9, null)).toEqual({ native: { slow: '0.000000001', normal: '0.000000002', fast: '0.000000003' }, usd: null });
  });
});

describe('evmFeeEstimate', () => {
  // An answer shaped as Base's to eth_feeHistory(4, latest, [10, 50, 90]): five base fees (the last is the next block's).
  const history: FeeHistory = {
    oldestBlock: '0x1a2b3c',
    baseFeePerGas: [gwei(0.005), gwei(0.0052), gwei(0.0049), gwei(0.0051), gwei(0.0053)],
    reward: [
      [gwei(0.001), gwei(0.002), gwei(0.01)],
      [gwei(0.001), gwei(0.0025), gwei(0.02)],
      [gwei(0), gwei(0.001), gwei(0.005)],
      [gwei(0.002), gwei(0.003), gwei(0.013)],
    ],
  };

  it('behavior: each level is the next base fee plus the mean of its percentile, in exact gwei, and costs a transfer and a swap', () => {
    const estimate = evmFeeEstimate({ name: 'base', nativeDecimals: 18 }, history, '3000', new Date('2026-01-01T00:00:00Z'));
    // Tips: slow (1 + 1 + 0 + 2) / 4 = 1 Mwei, normal (2 + 2.5 + 1 + 3) / 4 = 2.125 Mwei, fast (10 + 20 + 5 + 13) / 4 = 12 Mwei.
    expect(estimate.baseFee).toBe('0.0053');
    expect(estimate.levels).toEqual({ slow: '0.0063', normal: '0.007425', fast: '0.0173' });
    const [transfer, swap] = estimate.costs;
    // 21,000 × 6.3 Mwei = 0.0000001323 ETH, × $3,000 = $0.0003969.
    expect(transfer).toEqual({
      action: 'transfer',
      units: '21000 gas',
      native: { slow: '0.0000001323', normal: '0.000000155925', fast: '0.0000003633' },
      usd: { slow: '0.0003969', normal: '0.000467775', fast: '0.0010899' },
    });
    expect(swap!.native.fast).toBe('0.000002595');
    expect(swap!.usd!.fast).toBe('0.007785');
  });

  it('behavior: a node that gives no rewards leaves the base fee alone at every level', () => {
    const estimate = evmFeeEstimate({ name: 'base', nativeDecimals: 18 }, { oldestBlock: '0x1', baseFeePerGas: ['0x3b9aca00', '0x3b9aca01'] }, null, new Date());
    expect(estimate.levels).toEqual({ slow: '1.000000001', normal: '1.000000001', fast: '1.000000001' });
    expect(estimate.costs[0]!.usd).toBeNull();
  });
});

describe('solanaFeeEstimate', () => {
  it('behavior: percentiles of the recent slots in micro-lamports per CU, with 5,000 lamports a signature on top', () => {
    const fees = [0, 0, 1_000, 5_000, 10_000, 20_000, 50_000, 100_000].map((prioritizationFee, index) => ({ slot: 100 + index, prioritizationFee }));
    const estimate = solanaFeeEstimate({ name: 'solana', nativeDecimals: 9 }, fees, '150', new Date());
    expect(estimate.levels).toEqual({ slow: '0', normal: '5000', fast: '20000' });
    expect(estimate.unit).toBe('micro-lamports/CU');
    const [transfer, swap] = estimate.costs;
    // Swap, fast: 20,000 µlamports × 200,000 CU = 4,000 lamports, plus 5,000 = 9,000 lamports = 0.000009 SOL = $0.00135.
    expect(swap!.native).toEqual({ slow: '0.000005', normal: '0.000006', fast: '0.000009' });
    expect(swap!.usd).toEqual({ slow: '0.00075', normal: '0.0009', fast: '0.00135' });
    // Transfer, normal: 5,000 × 450 / 10^6 = 2.25, rounded up to 3 lamports.
    expect(transfer!.native.normal).toBe('0.000005003');
  });

  it('behavior: a node with no recent fees asks for no priority fee', () => {
    expect(solanaFeeEstimate({ name: 'solana', nativeDecimals: 9 }, [], null, new Date()).levels).toEqual({ slow: '0', normal: '0', fast: '0' });
  });
});

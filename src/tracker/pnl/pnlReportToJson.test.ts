import { describe, expect, test } from 'vitest';
import { pnlReportToJson } from './pnlReportToJson.js';
import { Rational } from './Rational.js';
import type { PnlReport } from './types.js';

const r = (text: string) => Rational.parse(text);

describe('pnlReportToJson', () => {
  test('behavior: formats JSON-safe output: USD with 2 decimals, ratios with 4, amounts in whole units and prices as given', () => {
    const report: PnlReport = {
      method: 'fifo',
      window: '7d',
      realizedUsd: r('350.125'),
      unrealizedUsd: r('-0.004'),
      investedUsd: r('400'),
      proceedsUsd: r('600'),
      valueUsd: Rational.of(1000n, 3n),
      roi: Rational.of(7n, 8n),
      winRate: Rational.of(2n, 3n),
      closedPositions: 3,
      unpricedTrades: 1,
      unknownBasis: [{ chain: 'base', token: '0xaa', decimals: 18, amount: 1n }],
      positions: [
        {
          chain: 'base',
          token: '0xaa',
          symbol: 'TOK',
          decimals: 18,
          amount: 1_500_000_000_000_000_001n,
          unknownBasisAmount: 1n,
          costBasisUsd: r('150'),
          realizedUsd: r('350.125'),
          unrealizedUsd: r('100.005'),
          valueUsd: r('250'),
          priceUsd: r('0.000000012345'),
          priceAt: new Date('2025-06-01T12:00:00Z'),
        },
        {
          chain: 'solana',
          token: 'So11111111111111111111111111111111111111112',
          symbol: null,
          decimals: 9,
          amount: 0n,
          unknownBasisAmount: 0n,
          costBasisUsd: Rational.ZERO,
          realizedUsd: r('-3'),
          unrealizedUsd: null,
          valueUsd: null,
          priceUsd: null,
          priceAt: null,
        },
      ],
    };
    // Through JSON.stringify, which throws on a bigint left behind.
    expect(JSON.parse(JSON.stringify(pnlReportToJson(report)))).toEqual({
      method: 'fifo',
      window: '7d',
      realizedUsd: '350.12',
      unrealizedUsd: '0.00',
      investedUsd: '400.00',
      proceedsUsd: '600.00',
      valueUsd: '333.33',
      roi: '0.8750',
      winRate: '0.6667',
      closedPositions: 3,
      unpricedTrades: 1,
      unknownBasis: [{ chain: 'base', token: '0xaa', amount: '0.000000000000000001' }],
      positions: [
        {
          chain: 'base',
          token: '0xaa',
          symbol: 'TOK',
          decimals: 18,
          amount: '1.500000000000000001',
          unknownBasisAmount: '0.000000000000000001',
          costBasisUsd: '150.00',
          realizedUsd: '350.12',
          unrealizedUsd: '100.00',
          valueUsd: '250.00',
          priceUsd: '0.000000012345',
          priceAt: '2025-06-01T12:00:00.000Z',
        },
        {
          chain: 'solana',
          token: 'So11111111111111111111111111111111111111112',
          symbol: null,
          decimals: 9,
          amount: '0',
          unknownBasisAmount: '0',
          costBasisUsd: '0.00',
          realizedUsd: '-3.00',
          unrealizedUsd: null,
          valueUsd: null,
          priceUsd: null,
          priceAt: null,
        },
      ],
    });
  });
});

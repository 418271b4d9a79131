import { describe, expect, it } from 'vitest';
import { UserInputError } from '../errors/LookoutError.js';
import { parseManualTrade, parseTradeId, parseTradeTime, toRawAmount } from './parseManualTrade.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const base = { side: 'buy', amount: '2', token: 'ETH', for: '20 USD' };

const refused = (run: () => unknown, pattern: RegExp) => {
  expect(run).toThrow(UserInputError);
  expect(run).toThrow(pattern);
};

describe('parseManualTrade', () => {
  it('behavior: reads side, amounts, fee, time, wallet and note', () => {
    const input = parseManualTrade({ ...base, fee: '0.5 USDC', at: '2024-01-01T00:00:00Z', wallet: 'desk', note: ' otc ' }, NOW);
    expect(input).toEqual({
      side: 'buy',
      amount: { text: '2', asset: 'ETH' },
      total: { text: '20', asset: 'USD' },
      fee: { text: '0.5', asset: 'USDC' },
      at: new Date('2024-01-01T00:00:00Z'),
      wallet: 'desk',
      chain: undefined,
      note: 'otc',
    });
  });

  it('behavior: a time without a zone is UTC, and a date alone is midnight UTC', () => {
    expect(parseTradeTime('2024-03-01T10:30', NOW).toISOString()).toBe('2024-03-01T10:30:00.000Z');
    expect(parseTradeTime('2024-03-01', NOW).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(parseTradeTime('2024-03-01T10:30:00+02:00', NOW).toISOString()).toBe('2024-03-01T08:30:00.000Z');
  });

  it('behavior: amounts become raw integers exactly, and more decimals than the asset has is refused', () => {
    expect(toRawAmount('0.000000000000000001', 18, 'ETH')).toBe(1n);
    expect(toRawAmount('123456789.123456', 6, 'USDC')).toBe(123456789123456n);
    refused(() => toRawAmount('1.0000001', 6, 'USDC'), /has 7 decimals but USDC has 6; round the amount/);
  });

  it.each([
    ['a side that is not buy or sell', { ...base, side: 'hold' }, /'hold' is not buy or sell/],
    ['no amount', { ...base, amount: undefined }, /Give the amount and the token/],
    ['an amount that is not a number', { ...base, amount: '1e3' }, /'1e3' is not an amount/],
    ['a zero amount', { ...base, amount: '0.0' }, /must be more than 0/],
    ['no total', { ...base, for: undefined }, /Give what the trade was for/],
    ['a total without an asset', { ...base, for: '20' }, /--for needs an amount and an asset/],
    ['a negative fee', { ...base, fee: '-1 USD' }, /'-1' is not an amount/],
    ['a time that is not ISO-8601', { ...base, at: 'yesterday' }, /'yesterday' is not an ISO-8601 time/],
    ['a date that does not exist', { ...base, at: '2024-02-30T00:00:00Z' }, /'2024-02-30T00:00:00Z' is not a real date/],
    ['a time in the future', { ...base, at: '2030-01-01T00:00:00Z' }, /is in the future/],
    ['a note too long', { ...base, note: 'x'.repeat(201) }, /keep it to 200/],
  ])('error: %s is one sentence', (_case, args, pattern) => {
    refused(() => parseManualTrade(args, NOW), pattern);
  });

  it('error: a trade id must be a whole number', () => {
    expect(parseTradeId('#12')).toBe(12);
    refused(() => parseTradeId('abc'), /'abc' is not a trade id/);
    refused(() => parseTradeId(undefined), /The trade id is missing/);
  });
});

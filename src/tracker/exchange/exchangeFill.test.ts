import { describe, expect, it } from 'vitest';
import { addDecimals, decimalText, exactDecimal, fromRaw, toRaw } from './decimalText.js';
import { exchangeFillRecords, type ExchangeFill } from './exchangeFill.js';

const E18 = 10n ** 18n;
const fill = (overrides: Partial<ExchangeFill> = {}): ExchangeFill => ({
  id: '28457',
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  side: 'buy',
  timestamp: 1_700_000_000_000,
  amount: '0.012',
  price: '43210.5',
  fee: { currency: 'USDT', cost: '0.518526' },
  order: '100234',
  ...overrides,
});

describe('decimalText', () => {
  it('behavior: gives back the decimal an exchange sent, exponent notation included', () => {
    expect(decimalText(0.00000001)).toBe('0.00000001');
    expect(decimalText(1.5e-7)).toBe('0.00000015');
    expect(decimalText(1e21)).toBe('1000000000000000000000');
    expect(decimalText(43210.5)).toBe('43210.5');
    expect(toRaw('0.00000015', 18)).toBe(150_000_000_000n);
    expect(fromRaw(518_526_000_000_000_000n, 18)).toBe('0.518526');
  });

  it('error: refuses more places than the amount keeps', () => {
    expect(() => toRaw('0.1234', 2)).toThrow(/More than 2 decimals/);
  });
});

describe('exchangeFillRecords', () => {
  it('behavior: takes an exchange\'s raw decimal text exactly, trailing zeros beyond the kept places included', () => {
    expect(exactDecimal('123456789.1234567890000000')).toBe('123456789.123456789');
    expect(exactDecimal('0.00000000')).toBe('0');
    expect(exactDecimal(0.5)).toBeUndefined();
    expect(exactDecimal('1e-7')).toBeUndefined();
    expect(toRaw('1.500', 1)).toBe(15n);
    expect(addDecimals('123456789.123456789', '0.000000000000000001')).toBe('123456789.123456789000000001');
    expect(addDecimals('50', '0.25', -1)).toBe('49.75');
  });

  it('behavior: a buy against a stablecoin is valued exactly, its fee in the quote netted from the quote leg', () => {
    const { trade, fee } = exchangeFillRecords('binance', 'binance:abc', fill());
    expect(fee).toBeNull();
    expect(trade).toMatchObject({ chain: 'binance', txHash: 'BTC/USDT#28457', wallet: 'binance:abc', kind: 'buy', usdValue: '518.526', priceUsd: '43210.5' });
    expect(trade.blockNumber).toBe(1_700_000_000_000n);
    expect(trade.base).toEqual({ asset: 'BTC', amount: 12n * 10n ** 15n });
    expect(trade.quote).toEqual({ asset: 'USDT', amount: 518_526n * 10n ** 15n });
    expect(trade.deltas).toEqual(new Map([['BTC', 12n * 10n ** 15n], ['USDT', -(518_526n * 10n ** 15n) - 518_526n * 10n ** 12n]]));
  });

  it('behavior: a sale with its fee in the base nets it from the base; a quote that is not money leaves it unpriced', () => {
    const { trade } = exchangeFillRecords('coinbase', 'coinbase:x', fill({ symbol: 'ETH/BTC', base: 'ETH', quote: 'BTC', side: 'sell', amount: '2', price: '0.05', fee: { currency: 'ETH', cost: '0.002' } }));
    expect(trade.usdValue).toBeNull();
    expect(trade.priceUsd).toBeNull();
    expect(trade.deltas).toEqual(new Map([['ETH', -2n * E18 - 2n * 10n ** 15n], ['BTC', E18 / 10n]]));
  });

  it('behavior: a fee in a third asset is its own record, the asset leaving the account', () => {
    const { trade, fee } = exchangeFillRecords('binance', 'binance:abc', fill({ fee: { currency: 'BNB', cost: '0.0001' } }));
    expect([...trade.deltas.keys()]).toEqual(['BTC', 'USDT']);
    expect(fee).toMatchObject({ txHash: 'BTC/USDT#28457#fee', kind: 'transfer_out', base: { asset: 'BNB', amount: 10n ** 14n }, usdValue: null });
    expect(fee!.deltas).toEqual(new Map([['BNB', -(10n ** 14n)]]));
  });
});

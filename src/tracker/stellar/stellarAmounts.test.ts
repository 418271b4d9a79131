import { describe, expect, it } from 'vitest';
import { NATIVE } from '../walletDeltas.js';
import { ledgerOfOperation, parseStellarAmount, stellarAssetKey } from './stellarAmounts.js';

describe('stellar amounts', () => {
  it('behavior: reads 7-decimal amounts as exact stroops', () => {
    expect(parseStellarAmount('12.3456789')).toBe(123_456_789n);
    expect(parseStellarAmount('922337203685.4775807')).toBe(9_223_372_036_854_775_807n);
    expect(parseStellarAmount('0.5')).toBe(5_000_000n);
    expect(parseStellarAmount('100')).toBe(1_000_000_000n);
  });
  it('error: refuses more than 7 decimals or anything that is not an amount', () => {
    expect(() => parseStellarAmount('1.00000001')).toThrow(/not a Stellar amount/);
    expect(() => parseStellarAmount('1e5')).toThrow(/not a Stellar amount/);
  });
  it('behavior: names assets CODE:ISSUER and XLM as the native coin; pool shares have no key', () => {
    expect(stellarAssetKey('native', undefined, undefined)).toBe(NATIVE);
    expect(stellarAssetKey('credit_alphanum4', 'USDC', 'GA5Z')).toBe('USDC:GA5Z');
    expect(stellarAssetKey('liquidity_pool_shares', undefined, undefined)).toBeNull();
  });
  it('behavior: the ledger of an operation or trade is the top half of its TOID', () => {
    expect(ledgerOfOperation('231928762264981505')).toBe(54_000_123n);
    expect(ledgerOfOperation('231928762264981505-2')).toBe(54_000_123n);
  });
});

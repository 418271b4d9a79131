import { describe, expect, test } from 'vitest';
import { Rational } from './Rational.js';
import { USD_SHARE_DIGITS, usdShare } from './usdShare.js';

describe('usdShare', () => {
  test('behavior: the whole share is the amount itself, unrounded', () => {
    const third = Rational.of(1n, 3n);
    expect(usdShare(third, 7n, 7n)).toBe(third);
  });

  test('behavior: a part is rounded half-even to 10^-40 USD and the rest stays exact', () => {
    const share = usdShare(Rational.ONE, 1n, 3n);
    expect(share.toString()).toBe(`${'3'.repeat(USD_SHARE_DIGITS)}/1${'0'.repeat(USD_SHARE_DIGITS)}`);
    expect(share.add(Rational.ONE.sub(share)).eq(Rational.ONE)).toBe(true);
    expect(usdShare(Rational.ONE, 2n, 3n).sub(Rational.of(2n, 3n)).abs().compare(Rational.of(1n, 10n ** 40n))).toBe(-1);
  });

  test('behavior: shares that are short decimals stay exact', () => {
    expect(usdShare(Rational.parse('600'), 500n, 1500n).eq(Rational.parse('200'))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { Rational } from '../pnl/Rational.js';
import { toPriceDecimal } from './toPriceDecimal.js';

describe('toPriceDecimal', () => {
  it('behavior: a value with a finite decimal form is printed exactly, however long', () => {
    expect(toPriceDecimal(Rational.parse('3250.12345678'))).toBe('3250.12345678');
    expect(toPriceDecimal(Rational.parse('2.5').mul(Rational.parse('3300')))).toBe('8250');
    const long = Rational.parse('1.000000000000000000000000000001');
    expect(toPriceDecimal(long)).toBe('1.000000000000000000000000000001');
    expect(toPriceDecimal(Rational.ZERO)).toBe('0');
  });

  it('behavior: a repeating value keeps 18 fraction digits, rounded half-even', () => {
    expect(toPriceDecimal(Rational.of(8250n, 7n))).toBe('1178.571428571428571429');
    expect(toPriceDecimal(Rational.of(1n, 3n))).toBe('0.333333333333333333');
    expect(toPriceDecimal(Rational.of(-2n, 3n))).toBe('-0.666666666666666667');
  });

  it('behavior: a tiny repeating value keeps 18 digits after its leading zeros', () => {
    // 1 / 3e9: nine zeros, then eighteen 3s.
    expect(toPriceDecimal(Rational.of(1n, 3_000_000_000n))).toBe('0.000000000333333333333333333');
    expect(toPriceDecimal(Rational.of(1n, 30n))).toBe('0.0333333333333333333');
    expect(toPriceDecimal(Rational.of(1n, 9n))).toBe('0.111111111111111111');
  });
});

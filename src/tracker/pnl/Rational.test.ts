import { describe, expect, test } from 'vitest';
import { Rational } from './Rational.js';

const r = (text: string) => Rational.parse(text);

describe('Rational', () => {
  test('behavior: parses decimal strings exactly', () => {
    expect(r('123.456')).toEqual(Rational.of(123456n, 1000n));
    expect(r('-0.5')).toEqual(Rational.of(-1n, 2n));
    expect(r('.5').eq(r('0.5'))).toBe(true);
    expect(r('+7').eq(Rational.of(7n))).toBe(true);
    expect(r('  42.  ').eq(Rational.of(42n))).toBe(true);
    expect(r('1.2e-7').eq(Rational.of(12n, 100_000_000n))).toBe(true);
    expect(r('3E2').eq(Rational.of(300n))).toBe(true);
    expect(r('-0').isZero()).toBe(true);
  });

  test('error: rejects text that is not a decimal number', () => {
    for (const bad of ['', '.', '-', 'abc', '1.2.3', '1,5', '0x10', 'NaN', 'Infinity', '1e', '--1', '1e100000']) {
      expect(() => r(bad), bad).toThrow(RangeError);
    }
  });

  test('behavior: normalizes by the gcd so equal values have equal fields', () => {
    const half = Rational.of(50n, 100n);
    expect(half.num).toBe(1n);
    expect(half.den).toBe(2n);
    expect(Rational.of(3n, -6n)).toEqual(Rational.of(-1n, 2n));
    expect(Rational.of(0n, 17n)).toEqual(Rational.ZERO);
  });

  test('behavior: fromRaw places the decimal point of a token amount', () => {
    expect(Rational.fromRaw(1234500n, 6).eq(r('1.2345'))).toBe(true);
    expect(Rational.fromRaw(1n, 18).toDecimalString(18)).toBe('0.000000000000000001');
    expect(Rational.fromRaw(10n ** 48n, 18).toDecimalString(18)).toBe('1000000000000000000000000000000');
    expect(Rational.fromRaw(-5n, 0).eq(Rational.of(-5n))).toBe(true);
    expect(() => Rational.fromRaw(1n, -1)).toThrow(RangeError);
    expect(() => Rational.fromRaw(1n, 1.5)).toThrow(RangeError);
  });

  test('behavior: arithmetic is exact where binary floating point is not', () => {
    expect(r('0.1').add(r('0.2')).eq(r('0.3'))).toBe(true);
    expect(r('1').div(r('3')).mul(r('3')).eq(Rational.ONE)).toBe(true);
    expect(r('10').sub(r('10.000000000000000001')).eq(r('-0.000000000000000001'))).toBe(true);
    expect(r('-1.5').mul(r('-2')).eq(r('3'))).toBe(true);
    expect(r('-4').abs().eq(r('4'))).toBe(true);
  });

  test('error: division by zero throws', () => {
    expect(() => Rational.ONE.div(Rational.ZERO)).toThrow(RangeError);
    expect(() => Rational.of(1n, 0n)).toThrow(RangeError);
  });

  test('behavior: compare, sign and isZero order values', () => {
    expect(r('1.5').compare(r('1.25'))).toBe(1);
    expect(r('-2').compare(r('1'))).toBe(-1);
    expect(Rational.of(2n, 4n).compare(r('0.5'))).toBe(0);
    expect(r('-0.001').sign()).toBe(-1);
    expect(Rational.ZERO.sign()).toBe(0);
    expect(r('0.000').isZero()).toBe(true);
  });

  test('behavior: toFixed rounds half to even', () => {
    expect(r('0.125').toFixed(2)).toBe('0.12');
    expect(r('0.135').toFixed(2)).toBe('0.14');
    expect(r('2.5').toFixed(0)).toBe('2');
    expect(r('3.5').toFixed(0)).toBe('4');
    expect(r('-0.125').toFixed(2)).toBe('-0.12');
    expect(r('-0.135').toFixed(2)).toBe('-0.14');
    expect(r('0.1251').toFixed(2)).toBe('0.13');
    expect(Rational.of(2n, 3n).toFixed(4)).toBe('0.6667');
    expect(r('7').toFixed(2)).toBe('7.00');
    expect(r('-1234567.891').toFixed(1)).toBe('-1234567.9');
  });

  test('behavior: a negative value that rounds to zero prints without a minus sign', () => {
    expect(r('-0.004').toFixed(2)).toBe('0.00');
    expect(r('-0.004').toDecimalString(2)).toBe('0');
  });

  test('behavior: round returns the nearest multiple of 10^-digits, ties to even', () => {
    expect(Rational.of(2n, 3n).round(3).eq(r('0.667'))).toBe(true);
    expect(r('0.125').round(2).eq(r('0.12'))).toBe(true);
    expect(r('-0.135').round(2).eq(r('-0.14'))).toBe(true);
    expect(r('5').round(0).eq(r('5'))).toBe(true);
  });

  test('behavior: toDecimalString drops trailing zeros', () => {
    expect(r('1.50').toDecimalString(6)).toBe('1.5');
    expect(r('100').toDecimalString(6)).toBe('100');
    expect(r('-2.000').toDecimalString(2)).toBe('-2');
    expect(Rational.of(1n, 3n).toDecimalString(5)).toBe('0.33333');
    expect(r('120').toDecimalString(0)).toBe('120');
  });

  test('behavior: toRaw converts back to a raw amount, rounding toward zero', () => {
    expect(r('1.2345').toRaw(6)).toBe(1234500n);
    expect(Rational.of(1n, 3n).toRaw(2)).toBe(33n);
    expect(Rational.of(-1n, 3n).toRaw(2)).toBe(-33n);
  });
});

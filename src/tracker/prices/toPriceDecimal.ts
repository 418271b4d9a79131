import { Rational } from '../pnl/Rational.js';

/** Fraction digits kept, counted from the first significant one, when a value has no finite decimal form. */
export const PRICE_SIGNIFICANT_DIGITS = 18;

// Note: a finite decimal with more digits than this is rounded too; real inputs (feed answers, token
// amounts of up to 36 decimals and their products) stay far below it.
const MAX_EXACT_DIGITS = 80;

/**
 * A price or USD value as a decimal string: exact when the value has a finite decimal form (a feed answer,
 * an amount times a price), otherwise rounded half-even to 18 fraction digits after the first significant
 * one, so that $0.000000001234… keeps as many digits as $1.234… does.
 */
export function toPriceDecimal(value: Rational): string {
  const exactDigits = finiteDecimalDigits(value.den);
  if (exactDigits !== null && exactDigits <= MAX_EXACT_DIGITS) return value.toDecimalString(exactDigits);
  return value.toDecimalString(leadingFractionZeros(value) + PRICE_SIGNIFICANT_DIGITS);
}

/** The fraction digits of 1/den when den is 2^a·5^b (max(a, b)); null when 1/den repeats forever. */
function finiteDecimalDigits(den: bigint): number | null {
  let twos = 0;
  let fives = 0;
  let rest = den;
  while (rest % 2n === 0n) {
    rest /= 2n;
    twos++;
  }
  while (rest % 5n === 0n) {
    rest /= 5n;
    fives++;
  }
  return rest === 1n ? Math.max(twos, fives) : null;
}

/** Zeros between the decimal point and the first significant digit: 0 for |value| >= 0.1, 2 for 0.00123. */
function leadingFractionZeros(value: Rational): number {
  const num = value.num < 0n ? -value.num : value.num;
  if (num === 0n || num >= value.den) return 0;
  let zeros = Math.max(0, value.den.toString().length - num.toString().length - 1);
  // The length difference is off by at most one either way; settle it exactly.
  while (zeros > 0 && num * 10n ** BigInt(zeros) >= value.den) zeros--;
  while (num * 10n ** BigInt(zeros + 1) < value.den) zeros++;
  return zeros;
}

import { Rational } from './Rational.js';

/** Fraction digits of a USD share: far below any price, far above where bigint work gets slow. */
export const USD_SHARE_DIGITS = 40;

/**
 * `part / whole` of a USD amount, rounded half-even to 10^-40 USD; the whole amount when part is whole.
 * Exact shares multiply the denominator by the held amount at every sale (average cost, or a sale
 * that mixes known and unknown cost), so long histories would slow down without bound. Callers
 * keep the exact rest (amount minus share), so rounding moves value between realized and held
 * but never creates or loses any.
 */
export function usdShare(amount: Rational, part: bigint, whole: bigint): Rational {
  if (part === whole) return amount;
  return amount.mul(Rational.of(part, whole)).round(USD_SHARE_DIGITS);
}

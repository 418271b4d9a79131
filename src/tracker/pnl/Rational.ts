// Note: every Rational is normalized: den > 0n and gcd(|num|, den) === 1n, so two equal
// values always have equal fields and `num === 0n` is the only zero.

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

// A longer exponent would build a bigint with millions of digits from a short string.
const MAX_EXPONENT = 1000;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function assertDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > MAX_EXPONENT) {
    throw new RangeError(`digits must be an integer from 0 to ${MAX_EXPONENT}, got ${digits}`);
  }
}

/**
 * An exact, immutable rational number on bigint, for money and token amounts.
 * Rounding for output is round-half-even (banker's rounding), so rounding many values
 * carries no upward bias.
 */
export class Rational {
  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  /** Builds num/den in lowest terms; throws on a zero denominator. */
  static of(num: bigint, den: bigint = 1n): Rational {
    if (den === 0n) throw new RangeError('division by zero');
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    const g = gcd(num, den);
    return g === 1n ? new Rational(num, den) : new Rational(num / g, den / g);
  }

  /** Parses a decimal string such as "123.456", "-0.5", ".5" or "1.2e-7"; throws RangeError on anything else. */
  static parse(text: string): Rational {
    const match = DECIMAL.exec(text.trim());
    const [, sign = '', whole = '', fraction = '', exponent = '0'] = match ?? [];
    if (!match || whole.length + fraction.length === 0) {
      throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
    }
    const exp = Number(exponent) - fraction.length;
    if (Math.abs(exp) > MAX_EXPONENT) throw new RangeError(`exponent out of range: ${JSON.stringify(text)}`);
    const magnitude = BigInt(`${whole}${fraction}`);
    const digits = sign === '-' ? -magnitude : magnitude;
    return exp >= 0 ? Rational.of(digits * 10n ** BigInt(exp)) : Rational.of(digits, 10n ** BigInt(-exp));
  }

  /** A raw integer token amount with `decimals` decimals as whole units: fromRaw(1234500n, 6) is 1.2345. */
  static fromRaw(raw: bigint, decimals: number): Rational {
    assertDigits(decimals);
    return Rational.of(raw, 10n ** BigInt(decimals));
  }

  add(other: Rational): Rational {
    if (this.den === other.den) return Rational.of(this.num + other.num, this.den);
    return Rational.of(this.num * other.den + other.num * this.den, this.den * other.den);
  }

  sub(other: Rational): Rational {
    return this.add(other.neg());
  }

  mul(other: Rational): Rational {
    return Rational.of(this.num * other.num, this.den * other.den);
  }

  /** Throws RangeError when dividing by zero. */
  div(other: Rational): Rational {
    if (other.num === 0n) throw new RangeError('division by zero');
    return Rational.of(this.num * other.den, this.den * other.num);
  }

  neg(): Rational {
    return new Rational(-this.num, this.den);
  }

  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  compare(other: Rational): -1 | 0 | 1 {
    const left = this.num * other.den;
    const right = other.num * this.den;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  eq(other: Rational): boolean {
    return this.num === other.num && this.den === other.den;
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  /** The integer nearest to this × 10^digits, ties to the even integer. */
  private scaledRounded(digits: number): bigint {
    const scaled = this.num * 10n ** BigInt(digits);
    const negative = scaled < 0n;
    const magnitude = negative ? -scaled : scaled;
    let quotient = magnitude / this.den;
    const twiceRemainder = (magnitude % this.den) * 2n;
    if (twiceRemainder > this.den || (twiceRemainder === this.den && quotient % 2n === 1n)) quotient += 1n;
    return negative ? -quotient : quotient;
  }

  /** The nearest multiple of 10^-digits, ties to even: keeps denominators small where exactness cannot. */
  round(digits: number): Rational {
    assertDigits(digits);
    return Rational.of(this.scaledRounded(digits), 10n ** BigInt(digits));
  }

  /** Exactly `digits` fraction digits, rounded half-even: (0.125).toFixed(2) is "0.12", (0.135).toFixed(2) is "0.14". */
  toFixed(digits: number): string {
    assertDigits(digits);
    const scaled = this.scaledRounded(digits);
    const negative = scaled < 0n;
    const text = (negative ? -scaled : scaled).toString().padStart(digits + 1, '0');
    const whole = text.slice(0, text.length - digits);
    const fraction = text.slice(text.length - digits);
    // A value that rounds to zero prints without a sign: "-0.00" would read as a loss.
    const sign = negative ? '-' : '';
    return digits === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
  }

  /** At most `maxDigits` fraction digits, rounded half-even, without trailing zeros: "1.5", "-2", "0.000001". */
  toDecimalString(maxDigits: number): string {
    const fixed = this.toFixed(maxDigits);
    return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  }

  /** The raw integer amount for a token with `decimals` decimals, rounded toward zero. */
  toRaw(decimals: number): bigint {
    assertDigits(decimals);
    return (this.num * 10n ** BigInt(decimals)) / this.den;
  }

  /** For debugging and test failure messages; use toFixed or toDecimalString for output. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }
}

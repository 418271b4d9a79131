/**
 * The decimal an exchange sent, from the number ccxt parsed it into: the shortest text that reads back as the same
 * double. Note: an exchange's amounts and prices have at most 15 significant digits, and every such decimal survives
 * the trip through a double and back unchanged; this is exact for them, never a rounding.
 */
export function decimalText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Not a finite amount: ${value}`);
  const text = String(Math.abs(value));
  const sign = value < 0 ? '-' : '';
  const match = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return sign + text;
  const digits = match[1]! + (match[2] ?? '');
  const point = match[1]!.length + Number(match[3]);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A non-negative decimal text as a raw integer amount with `decimals` places; more places than that are refused. */
export function toRaw(text: string, decimals: number): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`Not a non-negative decimal: ${text}`);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) throw new Error(`More than ${decimals} decimals: ${text}`);
  return BigInt(match[1]! + fraction.padEnd(decimals, '0'));
}

/** A raw amount with `decimals` places as decimal text, without trailing zeros. */
export function fromRaw(raw: bigint, decimals: number): string {
  const negative = raw < 0n;
  const digits = (negative ? -raw : raw).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * The exact decimal text an exchange sent in its raw answer (a JSON string such as "0.00400000"), without trailing
 * zeros; undefined when the field is absent or not a plain non-negative decimal, so that the caller may fall back.
 */
export function exactDecimal(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) return undefined;
  const places = (match[2] ?? '').replace(/0+$/, '').length;
  return fromRaw(toRaw(value.trim(), places), places);
}

/** The exact sum (or, with `sign` -1, difference) of two decimal texts, as decimal text without trailing zeros. */
export function addDecimals(a: string, b: string, sign: 1 | -1 = 1): string {
  const places = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const sum = toRaw(a, places) + BigInt(sign) * toRaw(b, places);
  return fromRaw(sum, places);
}

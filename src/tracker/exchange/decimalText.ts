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
  const fraction = match[2] ?? '';
  if (fraction.replace(/0+$/, '').length > decimals) throw new Error(`More than ${decimals} decimals: ${text}`);
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

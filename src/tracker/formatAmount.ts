/** A raw amount in whole units as an exact decimal string, with no grouping: `1234.5`. */
export function toDecimalString(raw: bigint, decimals: number): string {
  const negative = raw < 0n;
  const digits = (negative ? -raw : raw).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? digits.slice(digits.length - decimals).replace(/0+$/, '') : '';
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A raw amount for people: thousands grouped, at most `maxFraction` decimals (truncated, never rounded up),
 * and small amounts kept to their first significant digits: `1,000`, `2.5`, `0.000123`.
 */
export function formatAmount(raw: bigint, decimals: number, maxFraction = 4): string {
  const exact = toDecimalString(raw < 0n ? -raw : raw, decimals);
  const [whole = '0', fraction = ''] = exact.split('.');
  let kept = fraction.slice(0, maxFraction);
  if (whole === '0' && /^0*$/.test(kept) && fraction.length > 0) {
    const firstSignificant = fraction.search(/[1-9]/);
    kept = fraction.slice(0, firstSignificant + 3);
  }
  kept = kept.replace(/0+$/, '');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${raw < 0n ? '-' : ''}${grouped}${kept ? `.${kept}` : ''}`;
}

/** A USD decimal string as `$8,250.00`; null stays visibly unpriced. */
export function formatUsd(value: string | null): string {
  if (value === null) return 'unpriced';
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const cents = roundCents(whole, fraction);
  const grouped = cents.whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}$${grouped}.${cents.fraction}`;
}

function roundCents(whole: string, fraction: string): { whole: string; fraction: string } {
  const padded = (fraction + '000').slice(0, 3);
  let cents = BigInt(whole || '0') * 100n + BigInt(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) cents += 1n;
  return { whole: (cents / 100n).toString(), fraction: (cents % 100n).toString().padStart(2, '0') };
}

import { Rational } from '../pnl/Rational.js';

/** A price API's number (JSON text kept exact, or a plain number) as an exact decimal; null when it is not one. */
export function decimal(value: unknown): Rational | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    return Rational.parse(String(value));
  } catch {
    return null;
  }
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

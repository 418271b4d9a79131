import { Rational } from '../tracker/pnl/Rational.js';

/** A USD amount as a chart input takes it: exact, or an exact decimal string (a PnL report's JSON). */
export type UsdAmount = Rational | string;

/** The exact value of a USD amount. */
export function usdAmount(value: UsdAmount): Rational {
  return typeof value === 'string' ? Rational.parse(value) : value;
}

import { Rational } from '../tracker/pnl/Rational.js';

/**
 * A USD amount as a number for plotting, rounded to cents.
 * Chart.js draws numbers; this value is only drawn, never added up.
 */
export function plotNumber(valueUsd: Rational | string): number {
  const value = typeof valueUsd === 'string' ? Rational.parse(valueUsd) : valueUsd;
  return Number(value.toFixed(2));
}

import { describe, expect, it } from 'vitest';
import { parseUsd } from './parseAlertFilters.js';

describe('parseUsd', () => {
  it('behavior: reads plain, dollar and grouped amounts', () => {
    expect(parseUsd('$1,000.50')).toBe('1000.50');
    expect(parseUsd('0')).toBeNull();
  });

  it('error: 1e21 and twenty digits are too large amounts, not "not an amount"', () => {
    expect(() => parseUsd(String(1e21))).toThrow("'1e+21' is too large an amount; the most is $999,999,999,999,999.99.");
    expect(() => parseUsd('100000000000000000000')).toThrow(/too large an amount/);
    expect(() => parseUsd('abc')).toThrow(/'abc' is not an amount in USD/);
  });
});

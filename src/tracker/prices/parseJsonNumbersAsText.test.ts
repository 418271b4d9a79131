import { describe, expect, it } from 'vitest';
import { parseJsonNumbersAsText } from './parseJsonNumbersAsText.js';

describe('parseJsonNumbersAsText', () => {
  it('behavior: numbers keep every digit of their source text', () => {
    const text = '{"a":{"usd":0.000000123456789012345678901,"n":-12,"e":1.5E-7},"list":[3250.12345678,0]}';
    expect(parseJsonNumbersAsText(text)).toEqual({
      a: { usd: '0.000000123456789012345678901', n: '-12', e: '1.5E-7' },
      list: ['3250.12345678', '0'],
    });
  });

  it('behavior: digits inside strings, escaped quotes and literals are left alone', () => {
    const text = '{"k\\"1": "x 12 \\"34\\" -5", "t": true, "f": false, "z": null, "s": "9"}';
    expect(parseJsonNumbersAsText(text)).toEqual({ 'k"1': 'x 12 "34" -5', t: true, f: false, z: null, s: '9' });
  });

  it('error: invalid JSON still throws', () => {
    expect(() => parseJsonNumbersAsText('{"a": 01}')).toThrow(SyntaxError);
    expect(() => parseJsonNumbersAsText('{"a": 1')).toThrow(SyntaxError);
    expect(() => parseJsonNumbersAsText('<html>')).toThrow(SyntaxError);
  });
});

import { describe, expect, it } from 'vitest';
import { clipText, findControlCharacter, quoteInput } from './clipText.js';

const wellFormed = (text: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

describe('clipText', () => {
  it('behavior: leaves short text alone and cuts long text to the limit with an ellipsis', () => {
    expect(clipText('short', 10)).toBe('short');
    const cut = clipText('x'.repeat(5000), 4096);
    expect(cut).toHaveLength(4096);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('behavior: never splits a surrogate pair, at any limit', () => {
    const emoji = '🐋'.repeat(40);
    for (let max = 1; max <= 81; max++) {
      const cut = clipText(emoji, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(wellFormed(cut)).toBe(true);
    }
  });

  it('behavior: quoteInput shortens an echo of 40 emoji to whole emoji and shows control characters as �', () => {
    const quoted = quoteInput('🐋'.repeat(40));
    expect(quoted.length).toBeLessThanOrEqual(40);
    expect(wellFormed(quoted)).toBe(true);
    expect(quoteInput('a\u0000b')).toBe('a\uFFFDb');
  });

  it('error: findControlCharacter finds NUL, DEL, C1 and lone surrogates, not tabs or new lines', () => {
    expect(findControlCharacter('a\u0000b')).toBe('\u0000');
    expect(findControlCharacter('a\u007fb')).toBe('\u007f');
    expect(findControlCharacter('a\u0085b')).toBe('\u0085');
    expect(findControlCharacter('a\ud83db')).toBe('\ud83d');
    expect(findControlCharacter('a\tb\nc\r🐋')).toBeUndefined();
  });
});

import { describe, expect, test } from 'vitest';

import { parseTelegramHtml } from './parseTelegramHtml.js';
import { TelegramApiError } from './telegramApiError.js';

const refusal = (html: string): string => {
  try {
    parseTelegramHtml(html);
  } catch (error) {
    if (error instanceof TelegramApiError) return error.description;
    throw error;
  }
  throw new Error(`accepted: ${html}`);
};

describe('parseTelegramHtml', () => {
  test('behavior: nested tags become entities with UTF-16 offsets', () => {
    expect(parseTelegramHtml('😀 <b>bold <i>both</i></b>')).toEqual({
      text: '😀 bold both',
      entities: [
        { type: 'bold', offset: 3, length: 9 },
        { type: 'italic', offset: 8, length: 4 },
      ],
    });
  });

  test('behavior: only Telegram’s four named references are decoded; numeric ones always', () => {
    expect(parseTelegramHtml('&lt;b&gt; &amp; &quot; &nbsp; &#36;&#x41;').text).toBe('<b> & " &nbsp; $A');
  });

  test('behavior: links, pre with a language, and spoilers', () => {
    const { text, entities } = parseTelegramHtml(
      '<a href="https://basescan.org/tx/0x1?a=1&amp;b=2">tx</a> <pre><code class="language-ts">x</code></pre> <tg-spoiler>s</tg-spoiler>',
    );
    expect(text).toBe('tx x s');
    expect(entities).toEqual([
      { type: 'text_link', offset: 0, length: 2, url: 'https://basescan.org/tx/0x1?a=1&b=2' },
      { type: 'pre', offset: 3, length: 1, language: 'ts' },
      { type: 'spoiler', offset: 5, length: 1 },
    ]);
  });

  test('behavior: the shown text is trimmed and entities follow it', () => {
    expect(parseTelegramHtml('  <b> hi</b>\n')).toEqual({ text: 'hi', entities: [{ type: 'bold', offset: 0, length: 2 }] });
  });

  test('error: refuses what Telegram refuses, with UTF-8 byte offsets', () => {
    const prefix = "Bad Request: can't parse entities: ";
    expect(refusal('é <label>')).toBe(`${prefix}Unsupported start tag "label" at byte offset 3`);
    expect(refusal('1 < 2')).toBe(`${prefix}Unsupported start tag "" at byte offset 2`);
    expect(refusal('<b>x</i>')).toBe(`${prefix}Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`);
    expect(refusal('<b>x')).toBe(`${prefix}Can't find end tag corresponding to start tag "b"`);
    expect(refusal('x </b>')).toBe(`${prefix}Unexpected end tag at byte offset 2`);
    expect(refusal('<span>x</span>')).toBe(`${prefix}Tag "span" must have class "tg-spoiler" at byte offset 0`);
  });
});

import { describe, expect, it } from 'vitest';
import { parseTelegramHtml } from '../../../test/support/telegram/parseTelegramHtml.js';
import { fitTelegramHtml } from './fitTelegramHtml.js';
import { escapeHtml, replyHtml } from './telegramHtml.js';

describe('fitTelegramHtml', () => {
  it('behavior: cuts inside a bold span, closes it, and stays valid HTML within the limit', () => {
    const html = `<b>${escapeHtml('<&>'.repeat(2000))}</b>`;
    const cut = fitTelegramHtml(html, 4096);
    expect(cut.length).toBeLessThanOrEqual(4096);
    expect(cut.endsWith('…</b>')).toBe(true);
    expect(() => parseTelegramHtml(cut)).not.toThrow();
  });

  it('behavior: never cuts inside an entity, a tag or an emoji, whatever the limit', () => {
    const html = `<b>a</b> &amp;🐋 <a href="https://example.com/x">link &lt;</a> <code>x&gt;y</code>\n`.repeat(40);
    for (let max = 20; max < 400; max += 7) {
      const cut = fitTelegramHtml(html, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(() => parseTelegramHtml(cut)).not.toThrow();
    }
  });

  it('behavior: a reply of many lines loses whole lines and fits the caption limit too', () => {
    const reply = replyHtml({ title: 'T', tone: 'info', lines: Array.from({ length: 500 }, (_, i) => `line ${i} 🐋`) });
    expect(reply.length).toBeLessThanOrEqual(4096);
    expect(reply.endsWith('\n…')).toBe(true);
    expect(fitTelegramHtml(escapeHtml('🐋'.repeat(1000)), 1024).length).toBeLessThanOrEqual(1024);
  });
});

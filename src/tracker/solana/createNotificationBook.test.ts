import { describe, expect, it } from 'vitest';
import { createNotificationBook } from './createNotificationBook.js';

describe('createNotificationBook', () => {
  it('behavior: a notification keeps its address pending until polling finds the signature', () => {
    const book = createNotificationBook();
    expect(book.notify('addr', 'sig1', 1_000)).toBe(true);
    expect(book.isPending('addr')).toBe(true);
    expect(book.hasPending).toBe(true);
    book.settle([{ address: 'addr', signature: 'sig1' }], 1_500);
    expect(book.isPending('addr')).toBe(false);
    expect(book.hasPending).toBe(false);
  });

  it('behavior: a processed signature wakes nothing, and a notification polling never confirms expires after 30 s', () => {
    const book = createNotificationBook();
    book.remember('old');
    expect(book.notify('addr', 'old', 0)).toBe(false);
    expect(book.processed('old')).toBe(true);
    book.notify('addr', 'ghost', 0);
    book.settle([], 29_000);
    expect(book.isPending('addr')).toBe(true);
    book.settle([], 30_001);
    expect(book.isPending('addr')).toBe(false);
  });
});

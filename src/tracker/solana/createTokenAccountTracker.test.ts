import { describe, expect, it } from 'vitest';
import { createTokenAccountTracker } from './createTokenAccountTracker.js';
import type { DecodedSolanaTransaction } from './decodeSolanaTransaction.js';

describe('createTokenAccountTracker', () => {
  it('behavior: watches each owner and its listed token accounts; one found later counts from the previous listing', async () => {
    let listing = { slot: 100, accounts: [{ address: 'ata1' }] };
    let clock = 0;
    const tracker = createTokenAccountTracker({ tokenAccounts: async () => listing } as never, 2, () => clock);
    await tracker.refresh(['owner']);
    expect(tracker.watched(['owner'])).toEqual([
      { address: 'owner', owner: 'owner' },
      { address: 'ata1', owner: 'owner' },
    ]);
    expect(tracker.openedAt('owner', 'ata1')).toBeNull();

    listing = { slot: 200, accounts: [{ address: 'ata1' }, { address: 'ata2' }] };
    await tracker.refresh(['owner']);
    // Note: not listed again before the refresh interval.
    expect(tracker.openedAt('owner', 'ata2')).toBeUndefined();
    clock = 120_000;
    await tracker.refresh(['owner']);
    expect(tracker.openedAt('owner', 'ata2')).toBe(100n);
  });

  it('behavior: a token account opened by a stored transaction is watched at once, from its slot; an owner no longer followed is forgotten', async () => {
    const tracker = createTokenAccountTracker({ tokenAccounts: async () => ({ slot: 10, accounts: [] }) } as never, 2, () => 0);
    await tracker.refresh(['owner']);
    const decoded = { slot: 42, tokenBalances: { post: [{ owner: 'owner', account: 'fresh' }, { owner: 'stranger', account: 'other' }] } };
    tracker.learn(decoded as unknown as DecodedSolanaTransaction, new Set(['owner']));
    expect(tracker.openedAt('owner', 'fresh')).toBe(42n);
    expect(tracker.watched(['owner']).map((entry) => entry.address)).toEqual(['owner', 'fresh']);
    await tracker.refresh([]);
    expect(tracker.watched(['owner']).map((entry) => entry.address)).toEqual(['owner']);
  });
});

import { describe, expect, it } from 'vitest';
import { chooseSolanaFollowMode, ownerCrossover } from './chooseSolanaFollowMode.js';

const base = { tokenAccounts: null, pollMs: 2_000, tokenAccountPollMs: 30_000, blockTimeMs: 400 };

describe('chooseSolanaFollowMode', () => {
  it('behavior: a few wallets are polled, past the crossover every block is read', () => {
    const crossover = ownerCrossover(base);
    expect(crossover).toBe(50);
    expect(chooseSolanaFollowMode('auto', { ...base, owners: 5 }, null)).toBe('addresses');
    expect(chooseSolanaFollowMode('auto', { ...base, owners: crossover }, null)).toBe('blocks');
    expect(chooseSolanaFollowMode('auto', { ...base, owners: 10_000 }, 'addresses')).toBe('blocks');
  });

  it('behavior: token accounts count toward the crossover at their own polling interval', () => {
    expect(chooseSolanaFollowMode('auto', { ...base, owners: 40, tokenAccounts: 100 }, null)).toBe('addresses');
    expect(chooseSolanaFollowMode('auto', { ...base, owners: 40, tokenAccounts: 200 }, null)).toBe('blocks');
  });

  it('behavior: once reading blocks, it goes back to polling only well below the crossover', () => {
    expect(chooseSolanaFollowMode('auto', { ...base, owners: 45 }, 'blocks')).toBe('blocks');
    expect(chooseSolanaFollowMode('auto', { ...base, owners: 30 }, 'blocks')).toBe('addresses');
  });

  it('behavior: a forced mode wins over the wallet count', () => {
    expect(chooseSolanaFollowMode('blocks', { ...base, owners: 1 }, null)).toBe('blocks');
    expect(chooseSolanaFollowMode('addresses', { ...base, owners: 10_000 }, 'blocks')).toBe('addresses');
  });
});

import { describe, expect, it } from 'vitest';
import { applySolanaFollowMode } from './solanaFollowMode.js';

describe('applySolanaFollowMode', () => {
  it('behavior: SOLANA_FOLLOW_MODE sets the mode of the Solana chains only, over the file', () => {
    const chains: Parameters<typeof applySolanaFollowMode>[0] = [
      { name: 'solana', kind: 'solana', followMode: 'addresses' },
      { name: 'base', kind: 'evm' },
    ];
    applySolanaFollowMode(chains, { SOLANA_FOLLOW_MODE: ' Blocks ' });
    expect(chains).toEqual([{ name: 'solana', kind: 'solana', followMode: 'blocks' }, { name: 'base', kind: 'evm' }]);
  });

  it('error: an unknown mode, or a followMode on an EVM chain, is refused with one sentence', () => {
    expect(() => applySolanaFollowMode([{ name: 'solana', kind: 'solana' }], { SOLANA_FOLLOW_MODE: 'fast' })).toThrow(
      "SOLANA_FOLLOW_MODE must be one of auto, addresses, blocks; 'fast' is not one.",
    );
    expect(() => applySolanaFollowMode([{ name: 'base', kind: 'evm', followMode: 'blocks' }], {})).toThrow(
      "followMode applies to Solana chains only; remove it from chain 'base'.",
    );
  });
});

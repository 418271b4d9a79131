import { describe, expect, it } from 'vitest';

import type { SignatureInfo } from './createSolanaRpc.js';
import { planSignatureBatches } from './planSignatureBatches.js';

const sig = (signature: string, slot: number): SignatureInfo => ({ signature, slot, failed: false, blockTime: null });

describe('planSignatureBatches', () => {
  it('behavior: orders signatures oldest first and keeps one of each, whichever address found them', () => {
    const [batch] = planSignatureBatches(
      [
        { address: 'wallet', signatures: [sig('c', 12), sig('a', 10)] },
        { address: 'tokenAccount', signatures: [sig('d', 13), sig('c', 12), sig('b', 11)] },
      ],
      50,
    );
    expect(batch!.signatures.map((info) => info.signature)).toEqual(['a', 'b', 'c', 'd']);
    expect(batch!.cursors).toEqual([
      { address: 'wallet', signature: 'c', slot: 12 },
      { address: 'tokenAccount', signature: 'd', slot: 13 },
    ]);
  });

  it('behavior: moves each cursor only as far as the batches stored, and never splits a slot', () => {
    const batches = planSignatureBatches(
      [
        { address: 'A', signatures: [sig('a4', 4), sig('a3b', 3), sig('a3a', 3), sig('a1', 1)] },
        { address: 'B', signatures: [sig('b2', 2)] },
      ],
      2,
    );
    expect(batches.map((batch) => batch.signatures.map((info) => info.signature))).toEqual([['a1', 'b2'], ['a3a', 'a3b'], ['a4']]);
    expect(batches.map((batch) => batch.cursors)).toEqual([
      [
        { address: 'A', signature: 'a1', slot: 1 },
        { address: 'B', signature: 'b2', slot: 2 },
      ],
      [{ address: 'A', signature: 'a3b', slot: 3 }],
      [{ address: 'A', signature: 'a4', slot: 4 }],
    ]);
  });

  it('behavior: one slot larger than a batch stays whole', () => {
    const batches = planSignatureBatches([{ address: 'A', signatures: [sig('z', 5), sig('y', 5), sig('x', 5)] }], 1);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.signatures.map((info) => info.signature)).toEqual(['x', 'y', 'z']);
  });

  it('behavior: nothing found plans nothing', () => {
    expect(planSignatureBatches([{ address: 'A', signatures: [] }], 50)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';

import type { SignatureInfo, SolanaRpc } from './createSolanaRpc.js';
import { findNewSignatures } from './findNewSignatures.js';

/** A node holding one address's signatures (newest first) that honours `before`, and `until` only when it knows it. */
function fakeNode(history: SignatureInfo[], options: { knowsUntil?: boolean; slot?: number } = {}) {
  const calls: { before?: string; until?: string; limit: number }[] = [];
  const rpc: Pick<SolanaRpc, 'signatures' | 'slot'> = {
    async signatures(_address, query) {
      calls.push(query);
      let list = history;
      if (query.before !== undefined) list = list.slice(list.findIndex((info) => info.signature === query.before) + 1);
      if (query.until !== undefined && options.knowsUntil !== false) {
        const end = list.findIndex((info) => info.signature === query.until);
        if (end >= 0) list = list.slice(0, end);
      }
      return list.slice(0, query.limit);
    },
    slot: async () => options.slot ?? 999,
  };
  return { rpc, calls };
}

const history = (count: number, newestSlot = 5_000): SignatureInfo[] =>
  Array.from({ length: count }, (_, i) => ({ signature: `s${count - i}`, slot: newestSlot - i, failed: false, blockTime: 1_700_000_000 + count - i }));

describe('findNewSignatures', () => {
  it('behavior: an address seen for the first time keeps only its newest signature as the cursor', async () => {
    const { rpc } = fakeNode(history(3));
    expect(await findNewSignatures(rpc, 'A', { kind: 'newest' })).toEqual({ signatures: [], firstCursor: { signature: 's3', slot: 5_000n } });
  });

  it('behavior: an address with no transaction yet starts at the current slot', async () => {
    const { rpc } = fakeNode([], { slot: 1234 });
    expect(await findNewSignatures(rpc, 'A', { kind: 'newest' })).toEqual({ signatures: [], firstCursor: { signature: null, slot: 1234n } });
  });

  it('behavior: pages back with before until the cursor, newest first', async () => {
    const { rpc, calls } = fakeNode(history(2_500));
    const cursor = { signature: 's10', slot: BigInt(5_000 - 2_490) };
    const found = await findNewSignatures(rpc, 'A', { kind: 'cursor', cursor, since: null });
    expect(found.signatures).toHaveLength(2_490);
    expect(found.signatures[0]!.signature).toBe('s2500');
    expect(found.signatures.at(-1)!.signature).toBe('s11');
    expect(calls.map((call) => call.before)).toEqual([undefined, 's1501', 's501']);
  });

  it('error: a node that forgot the cursor signature still stops below the cursor slot', async () => {
    const { rpc } = fakeNode(history(50), { knowsUntil: false });
    const found = await findNewSignatures(rpc, 'A', { kind: 'cursor', cursor: { signature: 'gone', slot: 4_990n }, since: null });
    // The cursor's own slot is read again: what it holds may be stored already, and storing it again changes nothing.
    expect(found.signatures.map((info) => info.slot)).toEqual(Array.from({ length: 11 }, (_, i) => 5_000 - i));
  });

  it('behavior: a cursor without signature takes only later slots', async () => {
    const { rpc } = fakeNode(history(5));
    const found = await findNewSignatures(rpc, 'A', { kind: 'cursor', cursor: { signature: null, slot: 4_997n }, since: null });
    expect(found.signatures.map((info) => info.signature)).toEqual(['s5', 's4', 's3']);
  });

  it('behavior: nothing from before the wallet was followed is read, however old its cursor', async () => {
    const { rpc } = fakeNode(history(100));
    const since = new Date((1_700_000_000 + 90) * 1000 + 30_000);
    const found = await findNewSignatures(rpc, 'A', { kind: 'cursor', cursor: { signature: 's1', slot: 4_901n }, since });
    expect(found.signatures.map((info) => info.signature)).toEqual(Array.from({ length: 11 }, (_, i) => `s${100 - i}`));
  });

  it('behavior: a token account that appeared later is read from the slot it can have appeared at', async () => {
    const { rpc } = fakeNode(history(10));
    const found = await findNewSignatures(rpc, 'A', { kind: 'history', fromSlot: 4_998n, since: null });
    expect(found.signatures.map((info) => info.signature)).toEqual(['s10', 's9', 's8']);
    expect(found.firstCursor).toBeNull();
  });

  it('behavior: a token account that appeared later with nothing to read yet gets a cursor just before that slot', async () => {
    const { rpc } = fakeNode(history(10));
    expect(await findNewSignatures(rpc, 'A', { kind: 'history', fromSlot: 6_000n, since: null })).toEqual({
      signatures: [],
      firstCursor: { signature: null, slot: 5_999n },
    });
  });
});

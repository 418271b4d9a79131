import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { readSolanaTransactions } from './readSolanaTransactionFile.js';
import { selectBlockTransactions } from './selectBlockTransactions.js';
import { createBlockSifter, MalformedBlockJson, type SiftedBlockAnswer } from './siftBlockJson.js';

const fixturesDir = fileURLToPath(new URL('../../../test/fixtures/solana/', import.meta.url));

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return fixtureFiles(path);
    return entry.name.endsWith('.json') && entry.name !== 'expected.json' ? [path] : [];
  });
}

type JsonObject = Record<string, unknown>;

// Every real mainnet transaction of the fixtures that is json-encoded, as a block holds them (no slot, no blockTime).
const transactions = fixtureFiles(fixturesDir)
  .flatMap((file) => {
    try {
      return readSolanaTransactions(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      return [];
    }
  })
  .filter((entry): entry is JsonObject => {
    const message = ((entry as JsonObject | null)?.['transaction'] as JsonObject | undefined)?.['message'];
    return typeof message === 'object' && message !== null && Array.isArray((message as JsonObject)['accountKeys']);
  })
  .map(({ slot: _slot, blockTime: _blockTime, ...entry }) => entry);

const block = { blockHeight: 300, blockTime: 1_700_000_000, blockhash: 'Gh5e1k7Q7dVYx5sBdhD6RPdjzSXWrHcFQ9QHmbMxyHCa', parentSlot: 99, previousBlockhash: 'Fh5e1k7Q7dVYx5sBdhD6RPdjzSXWrHcFQ9QHmbMxyHCa', transactions };
const answer = (result: unknown, indent?: number) => Buffer.from(JSON.stringify({ jsonrpc: '2.0', result, id: 7 }, null, indent));

/** Every address a transaction's deltas can belong to: account keys, loaded addresses and token balance owners. */
function addressesOf(entry: JsonObject): string[] {
  const message = (entry['transaction'] as JsonObject)['message'] as { accountKeys: unknown[] };
  const meta = (entry['meta'] ?? {}) as { loadedAddresses?: { writable?: string[]; readonly?: string[] }; preTokenBalances?: { owner?: string }[]; postTokenBalances?: { owner?: string }[] };
  return [
    ...message.accountKeys.map((key) => (typeof key === 'string' ? key : String((key as JsonObject)['pubkey']))),
    ...(meta.loadedAddresses?.writable ?? []),
    ...(meta.loadedAddresses?.readonly ?? []),
    ...[...(meta.preTokenBalances ?? []), ...(meta.postTokenBalances ?? [])].flatMap((balance) => (balance.owner ? [balance.owner] : [])),
  ];
}

/** A whole answer sifted in one chunk. */
function siftBlockJson(bytes: Uint8Array, followed: ReadonlySet<string>): SiftedBlockAnswer {
  const sifter = createBlockSifter(followed);
  sifter.write(bytes);
  return sifter.end();
}

const signatures = (selection: ReturnType<typeof selectBlockTransactions>) => selection.decoded.map((decoded) => decoded.signature);

describe('siftBlockJson', () => {
  it('behavior: selects exactly what parsing the whole block selects, for every address of every fixture transaction', () => {
    expect(transactions.length).toBeGreaterThan(20);
    const text = answer(block);
    const addresses = [...new Set(transactions.flatMap(addressesOf))];
    for (const address of addresses) {
      const followed = new Set([address]);
      const sifted = siftBlockJson(text, followed);
      if (!('result' in sifted) || sifted.result === null) throw new Error('expected a block');
      expect(sifted.result.transactionCount).toBe(transactions.length);
      expect(signatures(selectBlockTransactions(sifted.result, 100, followed))).toEqual(signatures(selectBlockTransactions(block, 100, followed)));
    }
    // Note: a program id is in every transaction; a fee payer is in few, and only those are parsed.
    const payer = addressesOf(transactions[5]!)[0]!;
    const kept = siftBlockJson(text, new Set([payer]));
    expect('result' in kept && kept.result !== null && kept.result.transactions.length).toBeLessThanOrEqual(3);
  });

  it('behavior: keeps the block fields and reads pretty-printed JSON the same as compact', () => {
    const followed = new Set([addressesOf(transactions[3]!)[0]!]);
    const compact = siftBlockJson(answer(block), followed);
    const pretty = siftBlockJson(answer(block, 2), followed);
    expect(pretty).toEqual(compact);
    if (!('result' in compact) || compact.result === null) throw new Error('expected a block');
    expect(compact.result['blockhash']).toBe(block.blockhash);
    expect(compact.result['blockTime']).toBe(block.blockTime);
    expect(compact.result['parentSlot']).toBe(99);
  });

  it('behavior: sifts the same whatever the chunks the answer arrives in, one byte at a time included', () => {
    const weird = { ...block, transactions: [transactions[0], null, 7, 'broken \\"quoted\\"', transactions[1], [1, 2], transactions[2]] };
    for (const text of [answer(block), answer(block, 1), answer(weird), answer(weird, 2)]) {
      const payer = addressesOf(transactions[1]!)[0]!;
      const whole = siftBlockJson(text, new Set([payer]));
      let seed = 7;
      for (const largest of [1, 3, 40, 1000, 70_000]) {
        const sifter = createBlockSifter(new Set([payer]));
        for (let at = 0; at < text.length; ) {
          seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
          const size = 1 + (seed % largest);
          sifter.write(new Uint8Array(text.subarray(at, at + size)));
          at += size;
        }
        expect(sifter.end()).toEqual(whole);
      }
    }
  });

  it('behavior: keeps an entry that is not an object, so that it is decoded and skipped with a reason', () => {
    const sifted = siftBlockJson(answer({ ...block, transactions: [transactions[0], null, 'broken'] }), new Set(['nobody']));
    expect('result' in sifted && sifted.result?.transactions).toEqual([null, 'broken']);
  });

  it('behavior: strings with escaped quotes, non-ASCII text and an address inside longer text do not confuse it', () => {
    const followed = { ...transactions[0]!, meta: { ...(transactions[0]!['meta'] as JsonObject), logMessages: ['Program log: Memo (len 9): "gm ☀️ café"'] } };
    const address = addressesOf(followed)[0]!;
    const logs = { ...transactions[1]!, meta: { ...(transactions[1]!['meta'] as JsonObject), logMessages: [`say \\"${address}\\" \\\\`, `"${address}" moved`] } };
    const sifted = siftBlockJson(answer({ ...block, transactions: [logs, followed] }), new Set([address]));
    expect('result' in sifted && sifted.result?.transactions).toEqual([followed]);
  });

  it('behavior: recognises an address written with \\u escapes, whole or cut across chunks', () => {
    const address = addressesOf(transactions[0]!)[0]!;
    expect(addressesOf(transactions[1]!)).not.toContain(address);
    const escaped = [...address].map((char, i) => (i % 2 ? char : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('');
    const text = Buffer.from(answer({ ...block, transactions: [transactions[1], transactions[0]] }).toString('utf8').replaceAll(`"${address}"`, `"${escaped}"`));
    expect(text.includes(`"${address}"`)).toBe(false);
    expect(siftBlockJson(text, new Set([address]))).toMatchObject({ result: { transactions: [transactions[0]], transactionCount: 2 } });
    const sifter = createBlockSifter(new Set([address]));
    for (let at = 0; at < text.length; at += 5) sifter.write(new Uint8Array(text.subarray(at, at + 5)));
    expect(sifter.end()).toMatchObject({ result: { transactions: [transactions[0]] } });
  });

  it('behavior: reads a JSON-RPC error and a null result', () => {
    expect(siftBlockJson(Buffer.from(JSON.stringify({ jsonrpc: '2.0', error: { code: -32007, message: 'Slot 5 was skipped' }, id: 1 })), new Set())).toEqual({
      error: { code: -32007, message: 'Slot 5 was skipped' },
    });
    expect(siftBlockJson(answer(null), new Set())).toEqual({ result: null });
    expect(siftBlockJson(answer({ ...block, transactions: [] }), new Set())).toMatchObject({ result: { transactions: [], transactionCount: 0 } });
  });

  it('error: names malformed or cut-off text', () => {
    const text = answer(block);
    expect(() => siftBlockJson(text.subarray(0, text.length / 2), new Set())).toThrow(MalformedBlockJson);
    expect(() => siftBlockJson(Buffer.from('<html>Bad gateway</html>'), new Set())).toThrow(/malformed JSON/);
    expect(() => siftBlockJson(Buffer.from('{"jsonrpc":"2.0","id":1}'), new Set())).toThrow(/neither a result nor an error/);
  });
});

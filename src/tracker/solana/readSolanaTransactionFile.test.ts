import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { decodeSolanaTransaction } from './decodeSolanaTransaction.js';
import { readSolanaTransactions } from './readSolanaTransactionFile.js';
import { SolanaDecodeError } from './solanaDecodeError.js';

const result = (slot: number): Record<string, unknown> => ({ slot, blockTime: null, meta: {}, transaction: {} });
const rpc = (value: unknown, id = 1): Record<string, unknown> => ({ jsonrpc: '2.0', id, result: value });

describe('readSolanaTransactions', () => {
  it.each([
    ['a bare result', result(1), [result(1)]],
    ['a JSON-RPC response', rpc(result(1)), [result(1)]],
    ['a batch of JSON-RPC responses', [rpc(result(1), 1), rpc(result(2), 2)], [result(1), result(2)]],
    ['an array of results', [result(1), result(2)], [result(1), result(2)]],
    [
      'a test-case wrapper',
      { description: 'swap', signature: 'x', expected: { trade: true }, raw: result(3) },
      [result(3)],
    ],
    ['a wrapper around a JSON-RPC response', { description: 'swap', raw: rpc(result(4)) }, [result(4)]],
    ['an array of wrappers', [{ raw: result(5) }, { raw: [result(6)] }], [result(5), result(6)]],
    ['an empty array', [], []],
  ])('behavior: finds the results in %s', (_shape, json, expected) => {
    expect(readSolanaTransactions(json)).toEqual(expected);
  });

  it('behavior: hands anything else to the decoder, which names what it lacks', () => {
    expect(readSolanaTransactions('This is a broken data file')).toEqual(['This is a broken data file']);
    expect(readSolanaTransactions({ hello: 1 })).toEqual([{ hello: 1 }]);
    expect(() => decodeSolanaTransaction({ hello: 1 })).toThrow(new SolanaDecodeError('transaction has no meta'));
  });

  it('error: turns a JSON-RPC error response into a SolanaDecodeError', () => {
    const response = { jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'Invalid param: WrongSize' } };
    expect(() => readSolanaTransactions(response)).toThrow(
      new SolanaDecodeError('the JSON-RPC response is an error: Invalid param: WrongSize'),
    );
  });

  it('error: reports a JSON-RPC response without a transaction', () => {
    expect(() => readSolanaTransactions(rpc(null))).toThrow(SolanaDecodeError);
  });
});

describe('readSolanaTransactions on every fixture file', () => {
  const dir = fileURLToPath(new URL('../../../test/fixtures/solana/', import.meta.url));
  const files = (path: string): string[] =>
    readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return files(child);
      return entry.name.endsWith('.json') && entry.name !== 'expected.json' ? [child] : [];
    });

  it.each(files(dir).map((path) => relative(dir, path)))('behavior: finds getTransaction results in %s', (file) => {
    const found = readSolanaTransactions(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    expect(found.length).toBeGreaterThan(0);
    if (basename(file).startsWith('broken_data')) return;
    for (const value of found) expect(value).toHaveProperty('transaction');
  });
});

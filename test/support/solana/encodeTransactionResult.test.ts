import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { decodeSolanaTransaction } from '../../../src/tracker/solana/decodeSolanaTransaction.js';
import { readSolanaTransactions } from '../../../src/tracker/solana/readSolanaTransactionFile.js';
import { encodeTransactionResult, transactionEncodingOf } from './encodeTransactionResult.js';

type JsonObject = Record<string, unknown>;

const fixturesDir = fileURLToPath(new URL('../../fixtures/solana/', import.meta.url));
const base64Dir = join(fixturesDir, 'jowency-me_solana-tx-parser/testdata/transactions');
const jsonDir = join(fixturesDir, '0xjeffro_tx-parser/solana/data');

function resultsIn(dir: string): Array<[string, JsonObject]> {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !name.startsWith('broken_data'))
    .flatMap((name) =>
      readSolanaTransactions(JSON.parse(readFileSync(join(dir, name), 'utf8'))).map(
        (result, i) => [`${name}#${i}`, result as JsonObject] as [string, JsonObject],
      ),
    );
}

/** What the decoder makes of a result, in a form toEqual compares. */
function decodedView(result: JsonObject): unknown {
  const decoded = decodeSolanaTransaction(result);
  const wallets = [...new Set([decoded.feePayer, ...decoded.wallets()])];
  return {
    signature: decoded.signature,
    version: decoded.version,
    accountKeys: decoded.accountKeys,
    signers: decoded.signers,
    programIds: decoded.programIds,
    fee: decoded.fee,
    failed: decoded.failed,
    deltas: wallets.map((wallet) => [wallet, [...decoded.walletDeltas(wallet).deltas]]),
  };
}

describe('encodeTransactionResult on real base64 transactions', () => {
  const results = resultsIn(base64Dir);

  it('behavior: reads about a hundred base64 fixtures', () => {
    expect(results.length).toBeGreaterThanOrEqual(100);
    for (const [, result] of results) expect(transactionEncodingOf(result)).toBe('base64');
  });

  it.each(results)('behavior: %s survives base64 -> json -> base64 byte for byte', (_name, result) => {
    const json = encodeTransactionResult(result, 'json');
    expect(transactionEncodingOf(json)).toBe('json');
    expect(encodeTransactionResult(json, 'base64')['transaction']).toEqual(result['transaction']);
  });

  it.each(results)('behavior: %s decodes the same in json, jsonParsed and base58', (_name, result) => {
    const expected = decodedView(result);
    for (const encoding of ['json', 'jsonParsed', 'base58'] as const) {
      const encoded = encodeTransactionResult(result, encoding);
      expect(transactionEncodingOf(encoded)).toBe(encoding);
      expect(decodedView(encoded), encoding).toEqual(expected);
    }
  });

  it('behavior: a jsonParsed result lists lookup-table keys by source and drops meta.loadedAddresses', () => {
    const [, result] = results.find(([, r]) => ((r['meta'] as JsonObject)['loadedAddresses'] as { writable: unknown[] }).writable.length > 0)!;
    const parsed = encodeTransactionResult(result, 'jsonParsed');
    const keys = (parsed['transaction'] as { message: { accountKeys: Array<{ source: string; writable: boolean }> } }).message.accountKeys;
    const loaded = (result['meta'] as JsonObject)['loadedAddresses'] as { writable: string[]; readonly: string[] };
    expect(keys.filter((key) => key.source === 'lookupTable')).toHaveLength(loaded.writable.length + loaded.readonly.length);
    expect(keys[0]).toMatchObject({ signer: true, writable: true, source: 'transaction' });
    expect(parsed['meta']).not.toHaveProperty('loadedAddresses');
  });
});

describe('encodeTransactionResult on real json transactions', () => {
  const results = resultsIn(jsonDir);

  it.each(results)('behavior: %s decodes the same in base64 and jsonParsed', (_name, result) => {
    const expected = decodedView(result);
    for (const encoding of ['base64', 'jsonParsed'] as const) {
      expect(decodedView(encodeTransactionResult(result, encoding)), encoding).toEqual(expected);
    }
  });

  it.each(results)('behavior: %s keeps its message through json -> base64 -> json', (_name, result) => {
    const again = encodeTransactionResult(encodeTransactionResult(result, 'base64'), 'json');
    const message = (r: JsonObject): JsonObject => (r['transaction'] as { message: JsonObject }).message;
    const withoutStackHeight = (m: JsonObject): JsonObject => ({
      ...m,
      instructions: (m['instructions'] as JsonObject[]).map(({ stackHeight: _stackHeight, ...rest }) => rest),
    });
    expect(withoutStackHeight(message(again))).toEqual(withoutStackHeight(message(result)));
  });
});

describe('encodeTransactionResult on a jsonParsed transaction', () => {
  it('behavior: returns it as it is, since parsed instructions cannot be turned back into bytes', () => {
    const path = join(fixturesDir, 'Tee-py_solana-txn-parser/tests/pumpfun/parsed-buy-txn.json');
    const [result] = readSolanaTransactions(JSON.parse(readFileSync(path, 'utf8'))) as JsonObject[];
    expect(transactionEncodingOf(result!)).toBe('jsonParsed');
    expect(encodeTransactionResult(result!, 'base64')).toBe(result);
  });
});

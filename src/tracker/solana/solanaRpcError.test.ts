import { SolanaJSONRPCError } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';

import { translateSolanaRpcError } from './solanaRpcError.js';

describe('translateSolanaRpcError', () => {
  it.each([
    ['a rate limit', new Error('429 Too Many Requests: {"error":{"code":429}}'), 429, 'retry'],
    ['a server fault', new Error('500 Internal Server Error: Internal Server Error'), 500, 'retry'],
    ['a refused key', new Error('403 Forbidden: bad api key'), 403, 'stop'],
    ['a node behind', new SolanaJSONRPCError({ code: -32005, message: 'Node is behind' }), -32005, 'retry'],
    ['an unknown method', new SolanaJSONRPCError({ code: -32601, message: 'Method not found' }), -32601, 'stop'],
    ['a transaction too new', new SolanaJSONRPCError({ code: -32015, message: 'Transaction version (1) is not supported' }), -32015, 'stop'],
    ['a network failure', new TypeError('fetch failed'), null, 'retry'],
  ])('behavior: %s', (_name, error, code, action) => {
    const translated = translateSolanaRpcError(error, 'getTransaction');
    expect(translated).toMatchObject({ code, action, method: 'getTransaction' });
    expect(translated.cause).toBe(error);
    expect(translated.message).not.toMatch(/429|500|403|fetch/);
  });
});

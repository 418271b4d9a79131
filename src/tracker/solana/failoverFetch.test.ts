import { afterAll, describe, expect, it } from 'vitest';
import { startSolanaRpcServer, type SolanaRpcServer } from '../../../test/support/solana/startSolanaRpcServer.js';
import { createSolanaConnection } from './createSolanaRpc.js';
import { failoverFetch } from './failoverFetch.js';

describe('failoverFetch', () => {
  let server: SolanaRpcServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('behavior: moves on from a refused connection, a 429 and a 503, and keeps the URL that answered', async () => {
    const seen: string[] = [];
    const answers: Record<string, () => Response> = {
      'http://a': () => {
        throw new TypeError('fetch failed');
      },
      'http://b': () => new Response('busy', { status: 429 }),
      'http://c': () => new Response('{"ok":true}', { status: 200 }),
    };
    const fake = (async (input: string | URL | Request) => {
      const url = String(input);
      seen.push(url);
      return answers[url.replace(/\/$/, '')]!();
    }) as typeof fetch;
    const fetchWithFailover = failoverFetch(['http://a', 'http://b', 'http://c'], fake);
    expect((await fetchWithFailover('http://a', { method: 'POST' })).status).toBe(200);
    expect(seen).toEqual(['http://a', 'http://b', 'http://c']);
    seen.length = 0;
    await fetchWithFailover('http://a', { method: 'POST' });
    expect(seen).toEqual(['http://c']);
  });

  it('behavior: a Solana connection over SOLANA_RPC_URL with a dead first URL reaches the second', async () => {
    server = await startSolanaRpcServer();
    const connection = createSolanaConnection({ rpcUrls: ['http://127.0.0.1:9', server.url] });
    expect(await connection.getSlot()).toBe(server.slot());
  });
});

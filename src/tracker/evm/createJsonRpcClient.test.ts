import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../../errors/LookoutError.js';
import { createJsonRpcClient, RpcResponseError } from './createJsonRpcClient.js';
import { fetchTransferLogs } from './fetchBlockRange.js';

type Handler = (body: { id: number; method: string; params: unknown[] }, res: http.ServerResponse) => void;

const servers: http.Server[] = [];
async function rpcServer(handler: Handler): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      hits++;
      handler(JSON.parse(raw), res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}
const answer = (res: http.ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

function recordingLogger() {
  const lines: { msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
});

describe('createJsonRpcClient', () => {
  it('behavior: a second opinion asks another endpoint first, and the one in use stays preferred', async () => {
    const first = await rpcServer((body, res) => answer(res, { jsonrpc: '2.0', id: body.id, result: 'first' }));
    const second = await rpcServer((body, res) => answer(res, { jsonrpc: '2.0', id: body.id, result: 'second' }));
    const rpc = createJsonRpcClient({ urls: [first.url, second.url], logger: pino({ level: 'silent' }) });
    expect(await rpc.request('eth_blockNumber', [])).toBe('first');
    expect(await rpc.batch([{ method: 'eth_getBlockByNumber', params: ['0x1', true] }], { otherEndpoint: true })).toEqual(['second']);
    expect(await rpc.request('eth_blockNumber', [])).toBe('first');
    expect([first.hits(), second.hits()]).toEqual([2, 1]);
  });

  it('behavior: fails over to the next URL and reports the dead one once, then its recovery', async () => {
    let down = true;
    const flaky = await rpcServer((body, res) => (down ? answer(res, {}, 503) : answer(res, { jsonrpc: '2.0', id: body.id, result: '0x1' })));
    const good = await rpcServer((body, res) => answer(res, { jsonrpc: '2.0', id: body.id, result: '0x2' }));
    const { logger, lines } = recordingLogger();
    const rpc = createJsonRpcClient({ urls: [flaky.url, good.url], logger, baseDelayMs: 1 });
    expect(await rpc.request('eth_blockNumber', [])).toBe('0x2');
    expect(await rpc.request('eth_blockNumber', [])).toBe('0x2');
    expect(lines.filter((line) => line.msg === 'rpc endpoint failing')).toHaveLength(1);
    // The client keeps using the URL that answered; a later failure of it sends it back to the first.
    down = false;
    await new Promise<void>((resolve) => servers[1]!.close(() => resolve()));
    expect(await rpc.request('eth_blockNumber', [])).toBe('0x1');
    expect(lines.map((line) => line.msg)).toContain('rpc endpoint recovered');
  });

  it('behavior: retries a rate limit with backoff, then succeeds', async () => {
    let calls = 0;
    const server = await rpcServer((body, res) =>
      ++calls < 3 ? answer(res, {}, 429) : answer(res, { jsonrpc: '2.0', id: body.id, result: 'ok' }),
    );
    const rpc = createJsonRpcClient({ urls: [server.url], logger: pino({ level: 'silent' }), baseDelayMs: 1 });
    expect(await rpc.request('eth_chainId', [])).toBe('ok');
    expect(rpc.httpRequests()).toBe(3);
  });

  it('error: a refusal by the node is not retried, and an endpoint that never answers ends in a RetryableError', async () => {
    const refusing = await rpcServer((body, res) =>
      answer(res, { jsonrpc: '2.0', id: body.id, error: { code: -32602, message: 'invalid params' } }),
    );
    const rpc = createJsonRpcClient({ urls: [refusing.url], logger: pino({ level: 'silent' }), baseDelayMs: 1 });
    await expect(rpc.request('eth_call', [])).rejects.toBeInstanceOf(RpcResponseError);
    expect(refusing.hits()).toBe(1);

    const dead = createJsonRpcClient({ urls: ['http://127.0.0.1:9'], logger: pino({ level: 'silent' }), baseDelayMs: 1, maxRounds: 2 });
    await expect(dead.request('eth_blockNumber', [])).rejects.toBeInstanceOf(RetryableError);
  });

  it('behavior: a timeout on every call', async () => {
    const slow = await rpcServer(() => {});
    const rpc = createJsonRpcClient({ urls: [slow.url], logger: pino({ level: 'silent' }), timeoutMs: 100, maxRounds: 1 });
    const started = Date.now();
    await expect(rpc.request('eth_blockNumber', [])).rejects.toBeInstanceOf(RetryableError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('behavior: batches come back in the order asked, whatever order the node answers in', async () => {
    const server = await rpcServer((body, res) => {
      const calls = body as unknown as { id: number; params: [string] }[];
      answer(res, [...calls].reverse().map((call) => ({ jsonrpc: '2.0', id: call.id, result: call.params[0] })));
    });
    const rpc = createJsonRpcClient({ urls: [server.url], logger: pino({ level: 'silent' }) });
    expect(await rpc.batch(['a', 'b', 'c'].map((value) => ({ method: 'echo', params: [value] })))).toEqual(['a', 'b', 'c']);
    expect(rpc.calls.get('echo')).toBe(3);
  });

  it('behavior: a getLogs range the node refuses is split until it is accepted', async () => {
    const ranges: string[] = [];
    const server = await rpcServer((body, res) => {
      const [{ fromBlock, toBlock }] = body.params as [{ fromBlock: string; toBlock: string }];
      const size = Number(BigInt(toBlock) - BigInt(fromBlock)) + 1;
      ranges.push(`${Number(BigInt(fromBlock))}-${Number(BigInt(toBlock))}`);
      if (size > 25) return answer(res, { jsonrpc: '2.0', id: body.id, error: { code: -32005, message: 'query returned more than 10000 results' } });
      answer(res, { jsonrpc: '2.0', id: body.id, result: [{ blockNumber: fromBlock }] });
    });
    const rpc = createJsonRpcClient({ urls: [server.url], logger: pino({ level: 'silent' }) });
    const logs = await fetchTransferLogs(rpc, 1n, 100n);
    expect(logs).toHaveLength(4);
    expect(ranges).toEqual(['1-100', '1-50', '1-25', '26-50', '51-100', '51-75', '76-100']);
  });

  it('error: a fetch error that quotes the RPC URL is logged and raised without its key or password', async () => {
    const { logger, lines } = recordingLogger();
    const url = 'http://user:SECRETPASS@127.0.0.1:1/v2/KEY0123456789?apikey=KEY0123456789';
    const rpc = createJsonRpcClient({ urls: [url], logger, maxRounds: 1, baseDelayMs: 1 });
    const error = await rpc.request('eth_blockNumber', []).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryableError);
    const failing = lines.find((line) => line.msg === 'rpc endpoint failing');
    expect(JSON.stringify(failing)).toMatch(/includes credentials: http:\/\/127\.0\.0\.1:1\/…/);
    for (const text of [JSON.stringify(lines), (error as RetryableError).message, (error as RetryableError).details ?? '']) {
      expect(text).not.toContain('SECRETPASS');
      expect(text).not.toContain('KEY0123456789');
    }
  });
});

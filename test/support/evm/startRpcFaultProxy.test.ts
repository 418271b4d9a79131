import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from './startAnvil.js';
import { startRpcFaultProxy, type RpcFaultProxy } from './startRpcFaultProxy.js';

type Answer = { id: number; result?: unknown; error?: { code: number; message: string } };

describe('startRpcFaultProxy', () => {
  let anvil: Anvil;
  let proxy: RpcFaultProxy;
  let nextId = 1;

  const post = (body: unknown) =>
    fetch(proxy.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const call = async (method: string, params: unknown[] = []) =>
    (await (await post({ jsonrpc: '2.0', id: nextId++, method, params })).json()) as Answer;
  const batch = async (calls: [string, unknown[]][]) =>
    (await (await post(calls.map(([method, params]) => ({ jsonrpc: '2.0', id: nextId++, method, params })))).json()) as Answer[];

  beforeAll(async () => {
    anvil = await startAnvil();
    await anvil.mine(3);
    proxy = await startRpcFaultProxy(anvil.url);
  });

  afterAll(async () => {
    await proxy?.stop();
    await anvil?.stop();
  });

  it('behavior: without rules every call and batch passes through to the node', async () => {
    expect((await call('eth_blockNumber')).result).toBe('0x3');
    const answers = await batch([
      ['eth_chainId', []],
      ['eth_blockNumber', []],
    ]);
    expect(answers.map((answer) => answer.result)).toEqual(['0x7a69', '0x3']);
    expect(proxy.count('eth_blockNumber')).toBe(2);
  });

  it('behavior: a rule fails only the nth matching call, as often as asked, then lets calls through', async () => {
    const handle = proxy.fail({ method: 'eth_chainId', nth: 2, times: 2, fault: { type: 'rpc_error', code: -32000, message: 'flaky' } });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await call('eth_chainId'));
    expect(results.map((answer) => answer.error?.message ?? answer.result)).toEqual(['0x7a69', 'flaky', 'flaky', '0x7a69']);
    expect(results[1]!.error!.code).toBe(-32000);
    expect(handle.fired()).toBe(2);
    expect((await call('eth_blockNumber')).result).toBe('0x3');
  });

  it('behavior: a predicate on params aims at one block, and item faults hit only their item of a batch', async () => {
    proxy.fail({ method: 'eth_getBlockByNumber', when: ([tag]) => tag === '0x2', fault: { type: 'null_result' } });
    proxy.fail({ method: 'eth_chainId', fault: { type: 'drop' } });
    const answers = await batch([
      ['eth_getBlockByNumber', ['0x1', false]],
      ['eth_getBlockByNumber', ['0x2', false]],
      ['eth_chainId', []],
      ['eth_getBlockByNumber', ['0x3', false]],
    ]);
    expect(answers).toHaveLength(3);
    expect((answers[0]!.result as { number: string }).number).toBe('0x1');
    expect(answers[1]!.result).toBeNull();
    expect((answers[2]!.result as { number: string }).number).toBe('0x3');
    expect(((await call('eth_getBlockByNumber', ['0x2', false])).result as { number: string }).number).toBe('0x2');
  });

  it('behavior: an edit fault changes what the node answered, a result fault replaces it', async () => {
    proxy.fail({ method: 'eth_blockNumber', fault: { type: 'edit', edit: (head) => `0x${(BigInt(head as string) + 1n).toString(16)}` } });
    expect((await call('eth_blockNumber')).result).toBe('0x4');
    proxy.fail({ method: 'eth_blockNumber', fault: { type: 'result', result: '0x0' } });
    expect((await call('eth_blockNumber')).result).toBe('0x0');
    expect((await call('eth_blockNumber')).result).toBe('0x3');
  });

  it('error: HTTP statuses, malformed bodies and hangs fail the whole request once', async () => {
    proxy.fail({ method: 'eth_chainId', fault: { type: 'http_status', status: 429, retryAfter: '1' } });
    const limited = await post([{ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }, { jsonrpc: '2.0', id: 2, method: 'eth_chainId', params: [] }]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');

    proxy.fail({ method: 'eth_chainId', fault: { type: 'malformed' } });
    const malformed = await post({ jsonrpc: '2.0', id: 3, method: 'eth_chainId', params: [] });
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();

    proxy.fail({ method: 'eth_chainId', fault: { type: 'hang', ms: 300 } });
    const started = Date.now();
    await expect(post({ jsonrpc: '2.0', id: 4, method: 'eth_chainId', params: [] })).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect((await call('eth_chainId')).result).toBe('0x7a69');
  });

  it('behavior: chaos fails about its rate of calls during its window only, and clear() lifts every rule', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const chaos = proxy.chaos({ rate: 0.5, faults: [{ type: 'rpc_error' }, { type: 'null_result' }], method: 'eth_blockNumber', random, durationMs: 60_000 });
    const answers = await Promise.all(Array.from({ length: 60 }, () => call('eth_blockNumber')));
    const failed = answers.filter((answer) => answer.result !== '0x3').length;
    expect(failed).toBe(chaos.fired());
    expect(failed).toBeGreaterThan(15);
    expect(failed).toBeLessThan(45);
    proxy.clear();
    const after = await Promise.all(Array.from({ length: 10 }, () => call('eth_blockNumber')));
    expect(after.every((answer) => answer.result === '0x3')).toBe(true);

    const short = proxy.chaos({ rate: 1, faults: [{ type: 'rpc_error' }], method: 'eth_blockNumber', durationMs: 100 });
    expect((await call('eth_blockNumber')).error).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await call('eth_blockNumber')).result).toBe('0x3');
    expect(short.fired()).toBe(1);
  });
});

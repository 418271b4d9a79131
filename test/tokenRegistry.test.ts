import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainConfig } from '../src/config/chainPresets.js';
import type { Database } from '../src/db/openDatabase.js';
import { tokens } from '../src/db/schema.js';
import { findTokens, saveTokens } from '../src/db/tokenQueries.js';
import { createChainStore } from '../src/db/chainStore.js';
import { createTokenRegistry } from '../src/tracker/createTokenRegistry.js';
import { createJsonRpcClient } from '../src/tracker/evm/createJsonRpcClient.js';
import { readErc20Metadata } from '../src/tracker/evm/readErc20Metadata.js';
import { deployUniswap, type UniswapWorld } from './support/evm/deployUniswap.js';
import { startAnvil, type Anvil } from './support/evm/startAnvil.js';
import { startRpcFaultProxy, type RpcFaultProxy } from './support/evm/startRpcFaultProxy.js';
import { createTestDatabase } from './support/testDatabase.js';

describe('token metadata on anvil', () => {
  let anvil: Anvil;
  let world: UniswapWorld;
  let database: Database;
  let proxy: RpcFaultProxy;
  const logLines: { msg: string; token?: string }[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });

  beforeAll(async () => {
    anvil = await startAnvil();
    world = await deployUniswap(anvil);
    database = await createTestDatabase();
    proxy = await startRpcFaultProxy(anvil.url);
  }, 60_000);
  afterAll(async () => {
    await proxy?.stop();
    await database?.close();
    await anvil?.stop();
  });

  it('behavior: reads symbol, name and decimals of several tokens in one batch', async () => {
    const rpc = createJsonRpcClient({ urls: [anvil.url], logger });
    const read = await readErc20Metadata(rpc, [world.usdc.toLowerCase(), world.meme.toLowerCase()], null);
    expect(read).toEqual([
      { address: world.usdc.toLowerCase(), symbol: 'USDC', name: 'USD Coin', decimals: 6 },
      { address: world.meme.toLowerCase(), symbol: 'MEME', name: 'Meme Coin', decimals: 18 },
    ]);
    expect(rpc.httpRequests()).toBe(1);
  });

  const chainOf = (name: string) =>
    ({
      name,
      kind: 'evm',
      nativeSymbol: 'ETH',
      nativeDecimals: 18,
      wrappedNative: world.weth.toLowerCase(),
      stablecoins: [world.usdc.toLowerCase()],
      multicall3: null,
    }) as ChainConfig;
  const viaProxy = () => createJsonRpcClient({ urls: [proxy.url], logger, baseDelayMs: 5 });

  it('behavior: a contract that is no token still works: no symbol, decimals unknown with a warning naming it, read once', async () => {
    const chain = {
      name: 'localbase',
      kind: 'evm',
      nativeSymbol: 'ETH',
      nativeDecimals: 18,
      wrappedNative: world.weth.toLowerCase(),
      stablecoins: [world.usdc.toLowerCase()],
      multicall3: null,
    } as ChainConfig;
    const rpc = createJsonRpcClient({ urls: [anvil.url], logger });
    const registry = createTokenRegistry({ store: createChainStore(database.db).tokens, chain, logger, read: (addresses) => readErc20Metadata(rpc, addresses, null) });
    const router = world.router.toLowerCase();
    const first = await registry.ensure([router, world.usdc.toLowerCase()]);
    expect(first.get(router)).toMatchObject({ symbol: null, decimalsKnown: false, metadataFallback: true });
    expect(first.get(world.usdc.toLowerCase())).toMatchObject({ symbol: 'USDC', decimals: 6, isStablecoin: true });
    expect(logLines.some((line) => line.msg.includes('decimals') && line.token === router)).toBe(true);
    const calls = rpc.httpRequests();
    await registry.ensure([router]);
    expect(rpc.httpRequests()).toBe(calls);
    expect(await database.db.$count(tokens)).toBeGreaterThanOrEqual(3);
  });

  it('error: a JSON-RPC error on the first eth_call of a new token is retried, and the token is stored as it is', async () => {
    const rpc = viaProxy();
    const registry = createTokenRegistry({ store: createChainStore(database.db).tokens, chain: chainOf('fault-once'), logger, read: (a) => readErc20Metadata(rpc, a, null, { baseDelayMs: 5 }) });
    const fault = proxy.fail({ method: 'eth_call', fault: { type: 'rpc_error', code: -32603, message: 'upstream timeout' } });
    const usdc = world.usdc.toLowerCase();
    const read = await registry.ensure([usdc]);
    expect(fault.fired()).toBe(1);
    expect(read.get(usdc)).toMatchObject({ symbol: 'USDC', decimals: 6, decimalsKnown: true, metadataFallback: false });
    const [stored] = await findTokens(database.db, 'fault-once', [usdc]);
    expect(stored).toMatchObject({ symbol: 'USDC', decimals: 6, decimalsKnown: true, metadataFallback: false });
  });

  it('error: null results and dropped batch items are no answer: retried, never read as a token without decimals', async () => {
    const rpc = viaProxy();
    const meme = world.meme.toLowerCase();
    proxy.fail({ method: 'eth_call', when: ([call]) => (call as { data: string }).data === '0x313ce567', fault: { type: 'null_result' } });
    proxy.fail({ method: 'eth_call', nth: 2, fault: { type: 'drop' } });
    const [read] = await readErc20Metadata(rpc, [meme], null, { baseDelayMs: 5 });
    expect(read).toEqual({ address: meme, symbol: 'MEME', name: 'Meme Coin', decimals: 18 });
  });

  it('error: an RPC that keeps failing makes the read throw a retryable error and stores nothing', async () => {
    const rpc = createJsonRpcClient({ urls: [proxy.url], logger, baseDelayMs: 5, maxRounds: 1 });
    const registry = createTokenRegistry({ store: createChainStore(database.db).tokens, chain: chainOf('fault-always'), logger, read: (a) => readErc20Metadata(rpc, a, null, { baseDelayMs: 5 }) });
    const fault = proxy.fail({ method: 'eth_call', times: Infinity, fault: { type: 'rpc_error' } });
    try {
      await expect(registry.ensure([world.pepe.toLowerCase()])).rejects.toMatchObject({ name: 'RetryableError', action: 'retry' });
    } finally {
      fault.remove();
    }
    expect(await findTokens(database.db, 'fault-always', [world.pepe.toLowerCase()])).toEqual([]);
    const read = await registry.ensure([world.pepe.toLowerCase()]);
    expect(read.get(world.pepe.toLowerCase())).toMatchObject({ symbol: 'PEPE', decimals: 18, decimalsKnown: true });
  });

  it('behavior: the wrapped native is read from the chain like any token, and a row stored without its symbol is read again', async () => {
    const rpc = createJsonRpcClient({ urls: [anvil.url], logger });
    const weth = world.weth.toLowerCase();
    // As the presets stored it before: decimals and flags, no symbol, never read.
    await saveTokens(database.db, [{ chain: 'wrapped', address: weth, decimals: 18, isWrappedNative: true }]);
    const registry = createTokenRegistry({ store: createChainStore(database.db).tokens, chain: chainOf('wrapped'), logger, read: (a) => readErc20Metadata(rpc, a, null) });
    expect((await registry.ensure([weth])).get(weth)).toMatchObject({ symbol: 'WETH', name: 'Wrapped Ether', decimals: 18, isWrappedNative: true });
    const fresh = createTokenRegistry({ store: createChainStore(database.db).tokens, chain: chainOf('wrapped-new'), logger, read: (a) => readErc20Metadata(rpc, a, null) });
    expect((await fresh.ensure([weth])).get(weth)).toMatchObject({ symbol: 'WETH', isWrappedNative: true });
    const [stored] = await findTokens(database.db, 'wrapped-new', [weth]);
    expect(stored!.metadataCheckedAt).not.toBeNull();
  });

  it('behavior: a token stored with fallback metadata is read again, and an incomplete one again after the recheck interval', async () => {
    const rpc = createJsonRpcClient({ urls: [anvil.url], logger });
    let clock = new Date('2026-01-01T00:00:00Z');
    const chain = chainOf('legacy');
    const meme = world.meme.toLowerCase();
    const router = world.router.toLowerCase();
    // As stored before the fix: one failed call left 18 decimals, no symbol, and no time of reading.
    await saveTokens(database.db, [{ chain: 'legacy', address: meme, symbol: null, decimals: 18, metadataFallback: true }]);
    const registry = createTokenRegistry({ store: createChainStore(database.db).tokens, chain, logger, read: (a) => readErc20Metadata(rpc, a, null), recheckMs: 60_000, now: () => clock });
    expect((await registry.ensure([meme])).get(meme)).toMatchObject({ symbol: 'MEME', decimalsKnown: true, metadataFallback: false });

    await registry.ensure([router]);
    const calls = rpc.httpRequests();
    clock = new Date(clock.getTime() + 30_000);
    await registry.ensure([router, meme]);
    expect(rpc.httpRequests()).toBe(calls);
    clock = new Date(clock.getTime() + 60_000);
    const ethCalls = rpc.calls.get('eth_call');
    const again = await registry.ensure([router, meme]);
    // Only the router is asked again (a batch of its three calls, then each alone after the revert).
    expect(rpc.calls.get('eth_call')).toBe(ethCalls! + 6);
    expect(again.get(router)).toMatchObject({ decimalsKnown: false, metadataCheckedAt: clock });
  });
});

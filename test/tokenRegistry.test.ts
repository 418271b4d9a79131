import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainConfig } from '../src/config/chainPresets.js';
import type { Database } from '../src/db/openDatabase.js';
import { tokens } from '../src/db/schema.js';
import { createTokenRegistry } from '../src/tracker/createTokenRegistry.js';
import { createJsonRpcClient } from '../src/tracker/evm/createJsonRpcClient.js';
import { readErc20Metadata } from '../src/tracker/evm/readErc20Metadata.js';
import { deployUniswap, type UniswapWorld } from './support/evm/deployUniswap.js';
import { startAnvil, type Anvil } from './support/evm/startAnvil.js';
import { createTestDatabase } from './support/testDatabase.js';

describe('token metadata on anvil', () => {
  let anvil: Anvil;
  let world: UniswapWorld;
  let database: Database;
  const logLines: { msg: string; token?: string }[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });

  beforeAll(async () => {
    anvil = await startAnvil();
    world = await deployUniswap(anvil);
    database = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
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

  it('behavior: a contract that is no token still works: no symbol, fallback decimals with a warning, read once', async () => {
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
    const registry = createTokenRegistry({ db: database.db, chain, logger, read: (addresses) => readErc20Metadata(rpc, addresses, null) });
    const router = world.router.toLowerCase();
    const first = await registry.ensure([router, world.usdc.toLowerCase()]);
    expect(first.get(router)).toMatchObject({ symbol: null, decimals: 18, metadataFallback: true });
    expect(first.get(world.usdc.toLowerCase())).toMatchObject({ symbol: 'USDC', decimals: 6, isStablecoin: true });
    expect(logLines.some((line) => line.msg.includes('fallback') && line.token === router)).toBe(true);
    const calls = rpc.httpRequests();
    await registry.ensure([router]);
    expect(rpc.httpRequests()).toBe(calls);
    expect(await database.db.$count(tokens)).toBeGreaterThanOrEqual(3);
  });
});

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection } from '@solana/web3.js';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainConfig } from '../src/config/chainPresets.js';
import type { PriceApiConfig } from '../src/config/loadConfig.js';
import type { Database } from '../src/db/openDatabase.js';
import { prices } from '../src/db/schema.js';
import { LookoutError, RetryableError } from '../src/errors/LookoutError.js';
import { createJsonRpcClient, type JsonRpcClient } from '../src/tracker/evm/createJsonRpcClient.js';
import { toHex } from '../src/tracker/evm/fetchBlockRange.js';
import { createCoinGeckoSource } from '../src/tracker/prices/createCoinGeckoSource.js';
import { createDexScreenerSource } from '../src/tracker/prices/createDexScreenerSource.js';
import { createPriceService } from '../src/tracker/prices/createPriceService.js';
import type { PriceSource } from '../src/tracker/prices/PriceSource.js';
import { fetchApiPrice } from '../src/tracker/prices/fetchApiPrice.js';
import { readChainlinkPrice } from '../src/tracker/prices/readChainlinkPrice.js';
import { readPythPrice } from '../src/tracker/prices/readPythPrice.js';
import { NATIVE } from '../src/tracker/walletDeltas.js';
import { deployPriceFeed, type TestPriceFeed } from './support/evm/deployPriceFeed.js';
import { startAnvil, type Anvil } from './support/evm/startAnvil.js';
import {
  encodeLegacyPythPrice,
  encodePriceUpdateV2,
  PYTH_LEGACY_ORACLE,
  PYTH_RECEIVER,
} from './support/prices/encodePythPriceAccount.js';
import { startSolanaRpcServer, type SolanaRpcServer } from './support/solana/startSolanaRpcServer.js';
import { createTestDatabase } from './support/testDatabase.js';

const logger = pino({ level: 'silent' });

const TOKEN = '0x1111111111111111111111111111111111111111';
const USDC = '0x2222222222222222222222222222222222222222';
const WETH = '0x3333333333333333333333333333333333333333';
const OTHER = '0x4444444444444444444444444444444444444444';
const tokens = new Map([
  [TOKEN, { decimals: 18, isStablecoin: false }],
  [OTHER, { decimals: 18, isStablecoin: false }],
  [USDC, { decimals: 6, isStablecoin: true }],
  [WETH, { decimals: 18, isStablecoin: false }],
]);
const ether = (whole: bigint) => whole * 10n ** 18n;

function evmChain(name: string, rpcUrl: string, feed: string | null): ChainConfig {
  return {
    name,
    kind: 'evm',
    chainId: 31337,
    rpcUrls: [rpcUrl],
    wsUrl: null,
    nativeSymbol: 'ETH',
    nativeDecimals: 18,
    wrappedNative: WETH,
    stablecoins: [USDC],
    explorer: 'https://etherscan.io',
    blockTimeMs: 1_000,
    reorgWindow: 0,
    multicall3: null,
    maxBlockRange: 100,
    nativeUsdFeed: feed?.toLowerCase() ?? null,
  };
}

const totalCalls = (rpc: JsonRpcClient) => [...rpc.calls.values()].reduce((sum, n) => sum + n, 0);

describe('prices from a Chainlink-style aggregator on anvil', () => {
  let anvil: Anvil;
  let feed: TestPriceFeed;
  let broken: TestPriceFeed;
  let database: Database;
  let rpc: JsonRpcClient;
  /** Blocks where the feed's answer was set, and their times. */
  const at: Record<'first' | 'second' | 'third' | 'stale', { block: bigint; time: Date }> = {} as never;

  const blockTime = async (block: bigint) => {
    const header = await anvil.rpc<{ timestamp: string }>('eth_getBlockByNumber', [toHex(block), false]);
    return new Date(Number(BigInt(header.timestamp)) * 1000);
  };
  const mark = async (block: bigint) => ({ block, time: await blockTime(block) });
  const service = (chain: ChainConfig, client: JsonRpcClient = rpc, extra: Partial<Parameters<typeof createPriceService>[0]> = {}) =>
    createPriceService({ db: database.db, chains: [chain], logger, rpcFor: () => client, ...extra });

  beforeAll(async () => {
    [anvil, database] = await Promise.all([startAnvil(), createTestDatabase()]);
    feed = await deployPriceFeed(anvil, { decimals: 8 });
    broken = await deployPriceFeed(anvil, { decimals: 8 });
    at.first = await mark(await feed.setAnswer(300_000_000_000n));
    // Blocks without an update in between: they must still see the first answer.
    await anvil.mine(2);
    at.second = await mark(await feed.setAnswer(325_012_345_678n));
    at.third = await mark(await feed.setAnswer(330_000_000_000n));
    const twoDaysBefore = BigInt(Math.floor(at.third.time.getTime() / 1000) - 2 * 86_400);
    at.stale = await mark(await feed.setAnswerUpdatedAt(310_000_000_000n, twoDaysBefore));
    await feed.setAnswer(999_900_000_000n);
    rpc = createJsonRpcClient({ urls: [anvil.url], logger, baseDelayMs: 1, maxRounds: 1 });
  });

  afterAll(async () => {
    await Promise.all([anvil?.stop(), database?.close()]);
  });

  it('behavior: the price at a block is the answer set at that block, even after later updates', async () => {
    const first = await readChainlinkPrice(rpc, feed.address, at.first.block);
    const second = await readChainlinkPrice(rpc, feed.address, at.second.block);
    const third = await readChainlinkPrice(rpc, feed.address, at.third.block);
    expect(first).toEqual({ priceUsd: '3000', updatedAt: at.first.time, roundId: 1n, stale: false });
    expect(second).toEqual({ priceUsd: '3250.12345678', updatedAt: at.second.time, roundId: 2n, stale: false });
    expect(third).toEqual({ priceUsd: '3300', updatedAt: at.third.time, roundId: 3n, stale: false });
    // A block between two updates still sees the earlier answer.
    expect(at.second.block - at.first.block).toBe(3n);
    expect((await readChainlinkPrice(rpc, feed.address, at.first.block + 2n))?.priceUsd).toBe('3000');
  });

  it('behavior: an answer older than the maximum age at the block is still returned, flagged stale', async () => {
    const stale = await readChainlinkPrice(rpc, feed.address, at.stale.block);
    expect(stale).toMatchObject({ priceUsd: '3100', roundId: 4n, stale: true });
    const given = await readChainlinkPrice(rpc, feed.address, at.stale.block, { blockTime: at.stale.time });
    expect(given?.stale).toBe(true);
    const lenient = await readChainlinkPrice(rpc, feed.address, at.stale.block, { maxAgeMs: 3 * 86_400_000 });
    expect(lenient?.stale).toBe(false);
  });

  it('error: a reverting feed, a zero or negative answer and an address without code give no price, not 0', async () => {
    const problems: string[] = [];
    const onUnusable = (problem: string) => void problems.push(problem);
    const before = await readChainlinkPrice(rpc, broken.address, broken.deployedAt - 1n, { onUnusable });
    const empty = await readChainlinkPrice(rpc, broken.address, broken.deployedAt, { onUnusable });
    const zero = await readChainlinkPrice(rpc, broken.address, await broken.setAnswer(0n), { onUnusable });
    const negative = await readChainlinkPrice(rpc, broken.address, await broken.setAnswer(-5n), { onUnusable });
    await broken.setAnswer(300_000_000_000n);
    const reverting = await readChainlinkPrice(rpc, broken.address, await broken.setReverting(true), { onUnusable });
    expect([before, empty, zero, negative, reverting]).toEqual([null, null, null, null, null]);
    expect(problems).toEqual(['malformed', 'reverted', 'not_positive', 'not_positive', 'reverted']);
  });

  it('behavior: the native price at a block is read once, then comes from Postgres for free', async () => {
    const chain = evmChain('localeth', anvil.url, feed.address);
    const pricing = service(chain);
    const calls = totalCalls(rpc);
    const quote = await pricing.nativeUsdAt('localeth', at.third.block, at.third.time);
    expect(quote).toEqual({
      chain: 'localeth',
      blockNumber: at.third.block,
      priceUsd: '3300',
      source: 'chainlink',
      observedAt: at.third.time,
      stale: false,
    });
    // Given the block's time, the reader asks only for the two calls, in one batch.
    expect(totalCalls(rpc) - calls).toBe(2);
    expect(await pricing.nativeUsdAt('localeth', at.third.block, at.third.time)).toEqual(quote);
    expect(totalCalls(rpc) - calls).toBe(2);

    // A new process (a new service and client) finds it in Postgres too.
    const freshRpc = createJsonRpcClient({ urls: [anvil.url], logger });
    const restarted = service(chain, freshRpc);
    expect(await restarted.nativeUsdAt('localeth', at.third.block, at.third.time)).toEqual(quote);
    expect(totalCalls(freshRpc)).toBe(0);

    // Trades of one block priced at once share one read; the stale flag survives the cache.
    const [a, b] = await Promise.all([
      restarted.nativeUsdAt('localeth', at.stale.block, at.stale.time),
      restarted.nativeUsdAt('localeth', at.stale.block, at.stale.time),
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ priceUsd: '3100', stale: true });
    expect(totalCalls(freshRpc)).toBe(2);
    expect((await restarted.nativeUsdAt('localeth', at.stale.block, at.stale.time))?.stale).toBe(true);
    expect(totalCalls(freshRpc)).toBe(2);
  });

  it('behavior: a trade of 2.5 ETH at $3,300 is worth $8,250 and prices the token at 8250 / amount exactly', async () => {
    const pricing = service(evmChain('localeth', anvil.url, feed.address));
    const trade = (baseAmount: bigint, quote: { asset: string; amount: bigint } = { asset: NATIVE, amount: 2_500_000_000_000_000_000n }) => ({
      blockNumber: at.third.block,
      blockTime: at.third.time,
      base: { asset: TOKEN, amount: baseAmount },
      quote,
    });
    expect(await pricing.priceTrade(trade(ether(3_000n)), tokens, 'localeth')).toEqual({ usdValue: '8250', priceUsd: '2.75' });
    // 8250 / 7 repeats forever: 18 fraction digits, rounded half-even.
    expect(await pricing.priceTrade(trade(ether(7n)), tokens, 'localeth')).toEqual({
      usdValue: '8250',
      priceUsd: '1178.571428571428571429',
    });
    // A wrapped-native leg counts as the native coin; 18-decimal dust keeps every digit.
    const dust = await pricing.priceTrade(trade(1n, { asset: WETH, amount: 1n }), tokens, 'localeth');
    expect(dust).toEqual({ usdValue: '0.0000000000000033', priceUsd: '3300' });
    // 8-decimal exactness through a trade: 1 ETH at block two.
    const exact = await pricing.priceTrade(
      { ...trade(ether(1n)), blockNumber: at.second.block, blockTime: at.second.time, quote: { asset: NATIVE, amount: ether(1n) } },
      tokens,
      'localeth',
    );
    expect(exact).toEqual({ usdValue: '3250.12345678', priceUsd: '3250.12345678' });
  });

  it('behavior: a stablecoin leg prices a trade first, without any RPC call', async () => {
    const pricing = service(evmChain('localeth', anvil.url, feed.address));
    const calls = totalCalls(rpc);
    const priced = await pricing.priceTrade(
      { blockNumber: 999_999n, blockTime: null, base: { asset: TOKEN, amount: ether(400n) }, quote: { asset: USDC, amount: 100_000_000n } },
      tokens,
      'localeth',
    );
    expect(priced).toEqual({ usdValue: '100', priceUsd: '0.25' });
    expect(totalCalls(rpc)).toBe(calls);
  });

  it('error: a trade whose feed reverts or answers zero stays unpriced, and nothing is cached for it', async () => {
    const chain = evmChain('brokeneth', anvil.url, broken.address);
    const pricing = service(chain);
    const reverting = await broken.setReverting(true);
    const trade = { blockNumber: reverting, blockTime: null, base: { asset: TOKEN, amount: ether(1n) }, quote: { asset: NATIVE, amount: ether(1n) } };
    expect(await pricing.priceTrade(trade, tokens, 'brokeneth')).toEqual({ usdValue: null, priceUsd: null });
    await broken.setReverting(false);
    const zeroBlock = await broken.setAnswer(0n);
    expect(await pricing.priceTrade({ ...trade, blockNumber: zeroBlock }, tokens, 'brokeneth')).toEqual({ usdValue: null, priceUsd: null });
    const rows = await database.db.select().from(prices).where(eq(prices.chain, 'brokeneth'));
    expect(rows).toEqual([]);
    // Neither leg stable nor native: unpriced without asking anyone.
    const calls = totalCalls(rpc);
    const swap = { ...trade, quote: { asset: OTHER, amount: ether(1n) } };
    expect(await pricing.priceTrade(swap, tokens, 'brokeneth')).toEqual({ usdValue: null, priceUsd: null });
    expect(totalCalls(rpc)).toBe(calls);
  });

  it('behavior: a token-for-token swap is priced through the leg that traded at a known price within the lag, else unpriced', async () => {
    const pricing = service(evmChain('swapeth', anvil.url, null), rpc, { maxLagMs: 600_000 });
    const tradedAt = new Date('2026-01-01T00:00:00Z');
    const swap = (minutesLater: number) => ({
      blockNumber: 7n,
      blockTime: new Date(tradedAt.getTime() + minutesLater * 60_000),
      base: { asset: OTHER, amount: ether(100n) },
      quote: { asset: TOKEN, amount: ether(40n) },
    });
    expect(await pricing.priceTrade(swap(1), tokens, 'swapeth')).toEqual({ usdValue: null, priceUsd: null });
    await pricing.recordTradePrice('swapeth', TOKEN, '2.75', 5n, tradedAt);
    // 40 TOKEN at $2.75 = $110 for 100 OTHER.
    expect(await pricing.priceTrade(swap(1), tokens, 'swapeth')).toEqual({ usdValue: '110', priceUsd: '1.1' });
    expect(await pricing.priceTrade(swap(11), tokens, 'swapeth')).toEqual({ usdValue: null, priceUsd: null });
    // A price of the base leg serves when the quote has none: 100 OTHER at $0.5.
    await pricing.recordTradePrice('swapeth', OTHER, '0.5', 6n, new Date(tradedAt.getTime() + 10 * 60_000));
    expect(await pricing.priceTrade(swap(11), tokens, 'swapeth')).toEqual({ usdValue: '50', priceUsd: '0.5' });
  });

  it('behavior: the latest price of a token is its latest trade price, with its age; the native coin reads the feed', async () => {
    const now = new Date(at.third.time.getTime() + 90_000);
    const pricing = service(evmChain('localeth', anvil.url, feed.address), rpc, { now: () => now });
    expect(await pricing.latestPrice('localeth', TOKEN)).toBeNull();
    await pricing.recordTradePrice('localeth', TOKEN, '2.75', at.third.block, at.third.time);
    await pricing.recordTradePrice('localeth', TOKEN.toUpperCase().replace('0X', '0x'), '2.5', at.first.block, at.first.time);
    await pricing.recordTradePrice('localeth', TOKEN, '0', at.stale.block, at.stale.time);
    expect(await pricing.latestPrice('localeth', TOKEN)).toEqual({ priceUsd: '2.75', observedAt: at.third.time, source: 'trade', ageMs: 90_000, stale: false });

    const calls = totalCalls(rpc);
    const native = await pricing.latestPrice('localeth', NATIVE);
    expect(native).toMatchObject({ priceUsd: '9999', source: 'chainlink' });
    expect(await pricing.latestPrice('localeth', WETH)).toEqual(native);
    // eth_blockNumber, then the two calls and the block, once within the reuse window.
    expect(totalCalls(rpc) - calls).toBe(4);
  });
});

describe('prices from a Pyth account on the local Solana RPC server', () => {
  const FEED = '7UVimffxr9ow1uXYxsr4LHAcV58mLzhmwaeKvJ1pjLiE';
  const LEGACY = 'H6ARHf6YXhGYeQfUzQNGk6rDNnLBQKrenN712K4AQJEG';
  const HALTED = 'J83w4HKfqxwcq3BEMMkPFSppX3gqekLyLJBexebFVkix';
  const PUBLISHED = 1_717_000_000n;
  let server: SolanaRpcServer;
  let connection: Connection;
  let database: Database;

  const solanaChain: ChainConfig = {
    name: 'localsol',
    kind: 'solana',
    chainId: null,
    rpcUrls: ['http://127.0.0.1:9'],
    wsUrl: null,
    nativeSymbol: 'SOL',
    nativeDecimals: 9,
    wrappedNative: 'So11111111111111111111111111111111111111112',
    stablecoins: [],
    explorer: 'https://solscan.io',
    blockTimeMs: 400,
    reorgWindow: 0,
    multicall3: null,
    maxBlockRange: 100,
    nativeUsdFeed: FEED,
  };

  beforeAll(async () => {
    [server, database] = await Promise.all([startSolanaRpcServer(), createTestDatabase()]);
    connection = new Connection(server.url, 'confirmed');
    server.setAccount(FEED, {
      data: encodePriceUpdateV2({ price: 14_250_000_001n, exponent: -8, publishTime: PUBLISHED, postedSlot: BigInt(server.slot()) }),
      owner: PYTH_RECEIVER,
      lamports: 1_000_000n,
    });
    server.setAccount(LEGACY, {
      data: encodeLegacyPythPrice({ price: 15_312_345_678n, exponent: -8, publishSlot: 123n, timestamp: PUBLISHED }),
      owner: PYTH_LEGACY_ORACLE,
      lamports: 1_000_000n,
    });
    server.setAccount(HALTED, {
      data: encodeLegacyPythPrice({ price: 15_312_345_678n, exponent: -8, status: 2, publishSlot: 123n, timestamp: PUBLISHED }),
      owner: PYTH_LEGACY_ORACLE,
      lamports: 1_000_000n,
    });
  });

  afterAll(async () => {
    await Promise.all([server?.stop(), database?.close()]);
  });

  it('behavior: reads a push-feed account and a legacy price account through getAccountInfo', async () => {
    expect(await readPythPrice(connection, FEED)).toEqual({
      priceUsd: '142.50000001',
      slot: BigInt(server.slot()),
      status: 'trading',
      publishTime: new Date(Number(PUBLISHED) * 1000),
      layout: 'price_update_v2',
      readAtSlot: BigInt(server.slot()),
    });
    expect(await readPythPrice(connection, LEGACY)).toMatchObject({ priceUsd: '153.12345678', slot: 123n, layout: 'legacy' });
  });

  it('error: a halted price, a missing account and a non-Pyth account give no price', async () => {
    const problems: string[] = [];
    const onUnusable = (problem: string) => void problems.push(problem);
    server.setAccount('11111111111111111111111111111112', { data: new Uint8Array(165), owner: PYTH_RECEIVER, lamports: 1n });
    expect(await readPythPrice(connection, HALTED, onUnusable)).toBeNull();
    expect(await readPythPrice(connection, 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB', onUnusable)).toBeNull();
    expect(await readPythPrice(connection, '11111111111111111111111111111112', onUnusable)).toBeNull();
    expect(problems).toEqual([
      'the price is not trading (status halted)',
      'the price account does not exist',
      expect.stringMatching(/not a Pyth price account/),
    ]);
  });

  it('behavior: a SOL leg is priced from the account once, then from Postgres; a trade from long ago stays unpriced', async () => {
    const pricing = createPriceService({
      db: database.db,
      chains: [solanaChain],
      logger,
      rpcFor: () => {
        throw new Error('no JSON-RPC client on Solana');
      },
      solanaConnectionFor: () => connection,
    });
    const slot = BigInt(server.slot());
    const tradeTime = new Date(Number(PUBLISHED) * 1000 + 2_000);
    const reads = () => server.requests['getAccountInfo'] ?? 0;
    const before = reads();
    const trade = {
      blockNumber: slot,
      blockTime: tradeTime,
      base: { asset: 'MemeMint1111111111111111111111111111111111', amount: 1_000_000n },
      quote: { asset: NATIVE, amount: 2_500_000_000n },
    };
    const mintTokens = new Map([['MemeMint1111111111111111111111111111111111', { decimals: 6, isStablecoin: false }]]);
    expect(await pricing.priceTrade(trade, mintTokens, 'localsol')).toEqual({ usdValue: '356.250000025', priceUsd: '356.250000025' });
    expect(await pricing.nativeUsdAt('localsol', slot, tradeTime)).toMatchObject({ priceUsd: '142.50000001', source: 'pyth', stale: false });
    expect(reads() - before).toBe(1);

    // The account only knows its latest price: an hour-old trade is not priced at it.
    const old = new Date(Number(PUBLISHED) * 1000 - 3_600_000);
    expect(await pricing.nativeUsdAt('localsol', slot - 9_000n, old)).toBeNull();
  });
});

describe('prices from an external API on a local HTTP server', () => {
  let server: Server;
  let root: string;
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  let failWith: number | null = null;
  const LONG = '0.000000123456789012345678901';

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      const url = new URL(req.url ?? '/', 'http://local');
      const reply = (status: number, text: string) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(text);
      };
      if (failWith !== null) return reply(failWith, '{"error":"nope"}');
      if (url.pathname === '/api/v3/simple/token_price/localeth') {
        const asked = url.searchParams.get('contract_addresses');
        if (asked === TOKEN) return reply(200, `{"${TOKEN}":{"usd":${LONG},"last_updated_at":1717000000}}`);
        if (asked === WETH) return reply(200, `{"${WETH}":{"usd":3301.123456789012345678}}`);
        return reply(200, '{}');
      }
      if (url.pathname === `/latest/dex/tokens/${WETH}`) {
        return reply(200, JSON.stringify({ pairs: [{ chainId: 'localeth', baseToken: { address: WETH }, priceUsd: '3301.123456789012345678', liquidity: { usd: 5 } }] }));
      }
      if (url.pathname === `/latest/dex/tokens/${TOKEN}`) {
        return reply(
          200,
          JSON.stringify({
            schemaVersion: '1.0.0',
            pairs: [
              { chainId: 'localeth', baseToken: { address: TOKEN }, priceUsd: '0.0412', liquidity: { usd: 10 } },
              { chainId: 'localeth', baseToken: { address: TOKEN }, priceUsd: '0.04123456789012345678', liquidity: { usd: 90_000 } },
            ],
          }),
        );
      }
      return reply(404, '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const coingecko = (): PriceApiConfig => ({ kind: 'coingecko', url: `${root}/api/v3`, key: 'demo-key' });
  const chain = { name: 'localeth', wrappedNative: WETH };

  it('behavior: CoinGecko prices keep every digit and the demo key travels in its header', async () => {
    seen.length = 0;
    expect(await fetchApiPrice(coingecko(), chain, TOKEN)).toEqual({ priceUsd: LONG, updatedAt: new Date(1_717_000_000_000) });
    expect(seen[0]?.url).toBe(`/api/v3/simple/token_price/localeth?contract_addresses=${TOKEN}&vs_currencies=usd&include_last_updated_at=true`);
    expect(seen[0]?.headers['x-cg-demo-api-key']).toBe('demo-key');
    expect(await fetchApiPrice(coingecko(), chain, NATIVE)).toEqual({ priceUsd: '3301.123456789012345678', updatedAt: null });
    expect(await fetchApiPrice(coingecko(), chain, OTHER)).toBeNull();
  });

  it('behavior: the Pro API root takes its key under the Pro header', async () => {
    let headers: Headers | undefined;
    const fakeFetch = (async (_url: string, init?: RequestInit) => {
      headers = new Headers(init?.headers);
      return new Response('{}', { status: 200 });
    }) as typeof fetch;
    await fetchApiPrice({ kind: 'coingecko', url: 'https://pro-api.coingecko.com/api/v3', key: 'pro-key' }, chain, TOKEN, { fetch: fakeFetch });
    expect(headers?.get('x-cg-pro-api-key')).toBe('pro-key');
    expect(headers?.get('x-cg-demo-api-key')).toBeNull();
  });

  it('behavior: DexScreener gives the deepest pair of the token on the chain', async () => {
    const api: PriceApiConfig = { kind: 'dexscreener', url: root, key: undefined };
    expect(await fetchApiPrice(api, chain, TOKEN)).toEqual({ priceUsd: '0.04123456789012345678', updatedAt: null });
  });

  it('error: a refused request says to check the settings; a failing API is worth retrying', async () => {
    try {
      failWith = 401;
      const refused = await fetchApiPrice(coingecko(), chain, TOKEN).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(LookoutError);
      expect(refused).toMatchObject({ action: 'stop', message: expect.stringMatching(/HTTP 401.*PRICE_API_KEY/) });
      failWith = 503;
      expect(await fetchApiPrice(coingecko(), chain, TOKEN).catch((error: unknown) => error)).toBeInstanceOf(RetryableError);
    } finally {
      failWith = null;
    }
    const dead = await fetchApiPrice({ kind: 'coingecko', url: 'http://127.0.0.1:9', key: undefined }, chain, TOKEN).catch((error: unknown) => error);
    expect(dead).toBeInstanceOf(RetryableError);
  });

  describe('through the price service', () => {
    let database: Database;
    const now = new Date('2024-06-01T12:00:00Z');
    const serviceWith = (source: PriceSource) =>
      createPriceService({
        db: database.db,
        chains: [evmChain('localeth', 'http://127.0.0.1:9', null)],
        logger,
        rpcFor: () => createJsonRpcClient({ urls: ['http://127.0.0.1:9'], logger, maxRounds: 1, baseDelayMs: 1 }),
        sources: [source],
        now: () => now,
      });

    beforeAll(async () => {
      database = await createTestDatabase();
    });

    afterAll(async () => {
      await database?.close();
    });

    it('behavior: without a trade price the source gives the current price with its age, asked once per minute; a fresher trade price wins', async () => {
      const service = serviceWith(createCoinGeckoSource({ api: coingecko(), now: () => now }));
      seen.length = 0;
      const quoted = await service.latestPrice('localeth', TOKEN);
      const ageMs = now.getTime() - 1_717_000_000_000;
      expect(quoted).toEqual({ priceUsd: LONG, observedAt: new Date(1_717_000_000_000), source: 'coingecko', ageMs, stale: true });
      expect(await service.latestPrice('localeth', TOKEN)).toEqual(quoted);
      expect(seen).toHaveLength(1);
      await service.recordTradePrice('localeth', TOKEN, '0.05', 42n, new Date(now.getTime() - 5_000));
      expect(await service.latestPrice('localeth', TOKEN)).toMatchObject({ priceUsd: '0.05', source: 'trade', ageMs: 5_000, stale: false });
    });

    it('behavior: a chain without a feed prices a recent native leg from a source of current prices, but not an old one', async () => {
      const service = serviceWith(createDexScreenerSource({ api: { kind: 'dexscreener', url: root, key: undefined }, now: () => now }));
      const recent = await service.nativeUsdAt('localeth', 100n, new Date(now.getTime() - 30_000));
      expect(recent).toMatchObject({ priceUsd: '3301.123456789012345678', source: 'dexscreener', blockNumber: 100n });
      const rows = await database.db
        .select()
        .from(prices)
        .where(and(eq(prices.chain, 'localeth'), eq(prices.asset, NATIVE), eq(prices.blockNumber, 100n)));
      expect(rows.map((row) => row.source)).toEqual(['dexscreener']);
      expect(await service.nativeUsdAt('localeth', 50n, new Date(now.getTime() - 86_400_000))).toBeNull();
    });
  });
});

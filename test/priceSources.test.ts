import { Writable } from 'node:stream';
import { Connection } from '@solana/web3.js';
import { count, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShutdown } from '../src/app/common.js';
import { createCommandServices } from '../src/app/createCommandServices.js';
import { priceSources } from '../src/app/createPrices.js';
import type { ChainConfig } from '../src/config/chainPresets.js';
import { loadConfig, type LookoutConfig } from '../src/config/loadConfig.js';
import type { Database } from '../src/db/openDatabase.js';
import { alertOutbox, balanceChanges, historicalPrices, trades } from '../src/db/schema.js';
import { saveTokens } from '../src/db/tokenQueries.js';
import { createCoinGeckoSource } from '../src/tracker/prices/createCoinGeckoSource.js';
import { createPriceRefreshJob } from '../src/tracker/prices/createPriceRefreshJob.js';
import { createPriceService, type PriceService, type PriceServiceDeps } from '../src/tracker/prices/createPriceService.js';
import { NATIVE } from '../src/tracker/walletDeltas.js';
import { offlineEnv, runCli, tempFolder } from './support/lookoutProcess.js';
import { encodePriceUpdateV2, PYTH_RECEIVER } from './support/prices/encodePythPriceAccount.js';
import { startPriceApiServer, type PriceApiServer } from './support/prices/startPriceApiServer.js';
import { startSolanaRpcServer, type SolanaRpcServer } from './support/solana/startSolanaRpcServer.js';
import { createTestDatabase } from './support/testDatabase.js';

const logger = pino({ level: 'silent' });
const HOUR = 3_600;
const MEME = 'MemeMint1111111111111111111111111111111111';
const TOKEN_A = '0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TOKEN_B = '0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const SONIC_TOKEN = '0xcccccccccccccccccccccccccccccccccccccccc';

/** The configuration a user would have, every RPC at a closed local port, DefiLlama at the local server. */
function configFor(api: PriceApiServer, env: Record<string, string> = {}): LookoutConfig {
  return loadConfig(
    { ...offlineEnv(), PRICE_SOURCES: 'chainlink,pyth,defillama', DEFILLAMA_URL: api.url, LOOKOUT_CONFIG: '', ...env },
    tempFolder('lookout-prices-'),
  );
}
const chainOf = (config: LookoutConfig, name: string): ChainConfig => config.chains.find((chain) => chain.name === name)!;

describe('prices at any time, from local servers that speak DefiLlama and CoinGecko', () => {
  let api: PriceApiServer;
  let solana: SolanaRpcServer;
  let database: Database;
  const nowSeconds = Math.floor(Date.now() / 1000);
  let clock = new Date(nowSeconds * 1000);

  const serviceFor = (config: LookoutConfig, extra: Partial<PriceServiceDeps> = {}): PriceService =>
    createPriceService({
      db: database.db,
      chains: config.chains,
      logger,
      rpcFor: () => {
        throw new Error('no EVM RPC in these tests');
      },
      onChain: { chainlink: config.prices.sources.includes('chainlink'), pyth: config.prices.sources.includes('pyth') },
      sources: priceSources(config),
      now: () => clock,
      ...extra,
    });
  const requestsTo = (pattern: RegExp) => api.requests.filter((request) => pattern.test(request.url)).length;

  beforeAll(async () => {
    [api, solana, database] = await Promise.all([startPriceApiServer(), startSolanaRpcServer(), createTestDatabase()]);
    // SOL: $150 three hours ago, $171.25 now; S: $0.5123 two days ago; two Base tokens and a Sonic token by address.
    api.setHistory('coingecko:solana', [
      { time: nowSeconds - 3 * HOUR, price: '150.000000000000000001' },
      { time: nowSeconds - 60, price: '171.25' },
    ]);
    api.setHistory('coingecko:sonic-3', [{ time: nowSeconds - 48 * HOUR + 120, price: '0.5123' }]);
    api.setHistory('coingecko:ethereum', [{ time: nowSeconds - 30, price: '3801.5' }]);
    api.setHistory(`base:${TOKEN_A}`, [
      { time: nowSeconds - 5 * 24 * HOUR, price: '0.000012345678901234567' },
      { time: nowSeconds - 2 * HOUR, price: '0.00002' },
    ]);
    api.setHistory(`base:${TOKEN_B}`, [{ time: nowSeconds - 26 * HOUR, price: '7.5' }]);
    api.setHistory(`sonic:${SONIC_TOKEN}`, [{ time: nowSeconds - 10 * HOUR, price: '2' }]);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), solana?.stop(), database?.close()]);
  });

  it('behavior: a Solana native leg from three hours ago (a catch-up) is priced at its time from DefiLlama, not at the Pyth price of now', async () => {
    const FEED = '7UVimffxr9ow1uXYxsr4LHAcV58mLzhmwaeKvJ1pjLiE';
    solana.setAccount(FEED, {
      data: encodePriceUpdateV2({ price: 17_125_000_000n, exponent: -8, publishTime: BigInt(nowSeconds), postedSlot: BigInt(solana.slot()) }),
      owner: PYTH_RECEIVER,
      lamports: 1_000_000n,
    });
    const config = configFor(api);
    const chain = { ...chainOf(config, 'solana'), nativeUsdFeed: FEED, rpcUrls: [solana.url] };
    const connection = new Connection(solana.url, 'confirmed');
    const pricing = serviceFor(config, { chains: [chain], solanaConnectionFor: () => connection });
    const tradeTime = new Date((nowSeconds - 3 * HOUR + 40) * 1000);
    const trade = { blockNumber: 300_000_000n, blockTime: tradeTime, base: { asset: MEME, amount: 1_000_000n }, quote: { asset: NATIVE, amount: 2_000_000_000n } };
    const reads = solana.requests['getAccountInfo'] ?? 0;

    const priced = await pricing.priceTrade(trade, new Map([[MEME, { decimals: 6, isStablecoin: false }]]), 'solana');
    // 2 SOL at $150.000000000000000001, for 1 MEME.
    expect(priced).toEqual({ usdValue: '300.000000000000000002', priceUsd: '300.000000000000000002' });
    expect(solana.requests['getAccountInfo']! - reads).toBe(1);
    expect(await pricing.nativeUsdAt('solana', 300_000_000n, tradeTime)).toMatchObject({ source: 'defillama', priceUsd: '150.000000000000000001', stale: false });
    expect(api.requests.some((request) => request.url.startsWith(`/prices/historical/${nowSeconds - 3 * HOUR + 40}/coingecko:solana?searchWidth=`))).toBe(true);

    // A trade of a moment ago is still priced from the Pyth account, without asking DefiLlama.
    const before = api.requests.length;
    const recent = { ...trade, blockNumber: BigInt(solana.slot()), blockTime: new Date((nowSeconds - 2) * 1000) };
    expect(await pricing.priceTrade(recent, new Map(), 'solana')).toMatchObject({ usdValue: '342.5' });
    expect(api.requests.length).toBe(before);
  });

  it('behavior: a Sonic native leg (no Chainlink feed) is priced at its time', async () => {
    const config = configFor(api);
    const pricing = serviceFor(config);
    const trade = {
      blockNumber: 5_000_000n,
      blockTime: new Date((nowSeconds - 48 * HOUR) * 1000),
      base: { asset: SONIC_TOKEN, amount: 10n ** 18n },
      quote: { asset: NATIVE, amount: 100n * 10n ** 18n },
    };
    expect(await pricing.priceTrade(trade, new Map([[SONIC_TOKEN, { decimals: 18, isStablecoin: false }]]), 'sonic')).toEqual({ usdValue: '51.23', priceUsd: '51.23' });
    expect(await pricing.nativeUsdAt('sonic', 5_000_000n, trade.blockTime)).toMatchObject({ source: 'defillama', priceUsd: '0.5123' });
  });

  it('behavior: a token-for-token swap with no quote leg is priced by chain:address at its time, and the answer is asked once', async () => {
    const config = configFor(api);
    const tokens = new Map([
      [TOKEN_A, { decimals: 18, isStablecoin: false }],
      [TOKEN_B, { decimals: 6, isStablecoin: false }],
    ]);
    // At the start of a five-minute bucket, so that the trade a minute later falls in the same bucket whatever the clock says.
    const bucket = 300;
    const tradeTime = new Date((Math.floor((nowSeconds - 26 * HOUR + 300) / bucket) * bucket + 30) * 1000);
    // 400,000 A for 3 B: A had no price then (its points are days and hours away); B was $7.5.
    const swap = { blockNumber: 30_000_000n, blockTime: tradeTime, base: { asset: TOKEN_A, amount: 400_000n * 10n ** 18n }, quote: { asset: TOKEN_B, amount: 3_000_000n } };
    const asked = () => requestsTo(/^\/prices\/historical\//);
    const before = asked();
    expect(await serviceFor(config).priceTrade(swap, tokens, 'base')).toEqual({ usdValue: '22.5', priceUsd: '0.00005625' });
    expect(asked() - before).toBe(1);

    // Another service on the same database, a trade a minute later in the same bucket: no request at all.
    const again = await serviceFor(config).priceTrade({ ...swap, blockNumber: 30_000_030n, blockTime: new Date(tradeTime.getTime() + 60_000) }, tokens, 'base');
    expect(again.usdValue).toBe('22.5');
    expect(asked() - before).toBe(1);
    const kept = await database.db.select().from(historicalPrices).where(eq(historicalPrices.asset, TOKEN_B));
    expect(kept).toMatchObject([{ chain: 'base', source: 'defillama', priceUsd: '7.5', observedAt: new Date((nowSeconds - 26 * HOUR) * 1000) }]);

    // A price five days away is never used for a trade at another time: the swap alone, with A as the only priced leg, stays unpriced.
    const aOnly = { ...swap, blockNumber: 30_000_100n, blockTime: new Date((nowSeconds - 3 * 24 * HOUR) * 1000), quote: null };
    expect(await serviceFor(config).priceTrade(aOnly, tokens, 'base')).toEqual({ usdValue: null, priceUsd: null });
  });

  it('behavior: CoinGecko, with its key, prices a token by contract at its time through market_chart/range', async () => {
    const config = configFor(api, { PRICE_SOURCES: 'coingecko', PRICE_API_URL: api.coingeckoUrl, PRICE_API_KIND: 'coingecko', PRICE_API_KEY: 'demo-key' });
    expect(config.prices.sources).toEqual(['coingecko']);
    const pricing = serviceFor(config, { sources: [createCoinGeckoSource({ api: config.priceApi!, now: () => clock })] });
    const tradeTime = new Date((nowSeconds - 10 * HOUR - 600) * 1000);
    const trade = { blockNumber: 6_000_000n, blockTime: tradeTime, base: { asset: SONIC_TOKEN, amount: 5n * 10n ** 17n }, quote: null };
    const before = api.requests.length;
    expect(await pricing.priceTrade(trade, new Map([[SONIC_TOKEN, { decimals: 18, isStablecoin: false }]]), 'sonic')).toEqual({ usdValue: '1', priceUsd: '2' });
    const request = api.requests[before]!;
    expect(request.url).toMatch(new RegExp(`^/api/v3/coins/sonic/contract/${SONIC_TOKEN}/market_chart/range\\?vs_currency=usd&from=\\d+&to=\\d+$`));
    expect(request.headers['x-cg-demo-api-key']).toBe('demo-key');
  });

  it('error: a source down or rate-limited leaves the trade unpriced (never $0) and caches nothing; the retry job prices it later without a new alert', async () => {
    const config = configFor(api, { LOOKOUT_CHAINS: 'solana', PRICE_SOURCES: 'defillama' });
    const pricing = serviceFor(config);
    // A quarter of an hour before the catch-up trade above: another time bucket, not cached yet.
    const tradeTime = new Date((nowSeconds - 3 * HOUR - 900) * 1000);
    const wallet = 'Wa11et1111111111111111111111111111111111111';
    const record = { blockNumber: 299_999_000n, blockTime: tradeTime, base: { asset: MEME, amount: 4_000_000n }, quote: { asset: NATIVE, amount: 1_000_000_000n } };
    await saveTokens(database.db, [{ chain: 'solana', address: MEME, symbol: 'MEME', decimals: 6 }]);

    api.failWith(429);
    try {
      const priced = await pricing.priceTrade(record, new Map([[MEME, { decimals: 6, isStablecoin: false }]]), 'solana');
      expect(priced).toEqual({ usdValue: null, priceUsd: null });
    } finally {
      api.failWith(null);
    }
    const cachedSol = await database.db.select().from(historicalPrices).where(eq(historicalPrices.chain, 'solana'));
    expect(cachedSol.filter((row) => row.bucketStart.getTime() === Math.floor(tradeTime.getTime() / 300_000) * 300_000)).toEqual([]);

    // The follower stored it unpriced; the wallet holds the MEME it bought.
    const position = { chain: 'solana', blockNumber: record.blockNumber, blockHash: 'hash-1', blockTime: tradeTime, txHash: 'sig-1', txIndex: 0, wallet };
    const [stored] = await database.db
      .insert(trades)
      .values({ ...position, kind: 'buy', baseAsset: MEME, baseAmount: record.base.amount, quoteAsset: NATIVE, quoteAmount: record.quote.amount, usdValue: null })
      .returning({ id: trades.id });
    await database.db.insert(balanceChanges).values([
      { ...position, asset: MEME, amount: record.base.amount },
      { ...position, asset: NATIVE, amount: -record.quote.amount },
    ]);
    api.setHistory(`solana:${MEME}`, [{ time: nowSeconds - 120, price: '0.0375' }]);

    const job = createPriceRefreshJob({ db: database.db, config, logger, shutdown: createShutdown(logger) }, pricing, { now: () => clock });
    // Within the source's cool-down nothing is asked, and the trade stays unpriced.
    const asked = api.requests.length;
    expect(await job.runOnce()).toEqual({ refreshed: 0, repriced: 0 });
    expect(api.requests.length).toBe(asked);

    clock = new Date(clock.getTime() + 60_000);
    expect(await job.runOnce()).toEqual({ refreshed: 1, repriced: 1 });
    const [row] = await database.db.select({ usdValue: trades.usdValue }).from(trades).where(eq(trades.id, stored!.id));
    // 1 SOL at $150.000000000000000001.
    expect(row?.usdValue).toBe('150.000000000000000001');
    expect((await database.db.select({ n: count() }).from(alertOutbox))[0]?.n).toBe(0);
    // Priced once: the next round leaves it alone.
    expect((await job.runOnce()).repriced).toBe(0);
  });

  it('behavior: trades no source can price do not hide older ones from the retry job', async () => {
    const config = configFor(api, { LOOKOUT_CHAINS: 'base', PRICE_SOURCES: 'defillama' });
    const pricing = serviceFor(config);
    const unknown = ['0x1000000000000000000000000000000000000001', '0x1000000000000000000000000000000000000002'];
    await saveTokens(database.db, [
      { chain: 'base', address: TOKEN_B, symbol: 'B', decimals: 6 },
      ...unknown.map((address) => ({ chain: 'base', address, symbol: 'U', decimals: 18 })),
    ]);
    const trade = (n: number, hoursAgo: number, legs: { baseAsset: string; baseAmount: bigint; quoteAsset: string | null; quoteAmount: bigint | null }) => ({
      chain: 'base',
      blockNumber: BigInt(40_000_000 + n),
      blockHash: `hash-${n}`,
      blockTime: new Date((nowSeconds - hoursAgo * HOUR) * 1000),
      txHash: `0x${n}`,
      wallet: '0x9999999999999999999999999999999999999999',
      kind: 'swap' as const,
      ...legs,
    });
    // The oldest (lowest id) has a price; the three after it have none anywhere.
    const [priceable] = await database.db
      .insert(trades)
      .values(trade(0, 26, { baseAsset: TOKEN_B, baseAmount: 2_000_000n, quoteAsset: null, quoteAmount: null }))
      .returning({ id: trades.id });
    for (const n of [1, 2, 3]) {
      await database.db.insert(trades).values(trade(n, 1, { baseAsset: unknown[0]!, baseAmount: 10n ** 18n, quoteAsset: unknown[1]!, quoteAmount: 10n ** 18n }));
    }
    const job = createPriceRefreshJob({ db: database.db, config, logger, shutdown: createShutdown(logger) }, pricing, { now: () => clock, retryBatch: 2 });
    expect((await job.runOnce()).repriced).toBe(0);
    expect((await job.runOnce()).repriced).toBe(1);
    const [row] = await database.db.select({ usdValue: trades.usdValue }).from(trades).where(eq(trades.id, priceable!.id));
    expect(row?.usdValue).toBe('15');
  });

  it('behavior: current prices of a report are asked in one request per source, reused until the refresh interval, each with source and age', async () => {
    const config = configFor(api, { PRICE_REFRESH_SECONDS: '60', PRICE_STALE_SECONDS: '3600' });
    const pricing = serviceFor(config, { currentTtlMs: config.prices.refreshMs, staleAfterMs: config.prices.staleAfterMs });
    const services = createCommandServices(config, pricing);
    const weth = chainOf(config, 'base').wrappedNative!;
    const before = requestsTo(/^\/prices\/current\//);

    const quoted = await services.pricesOf('base', [TOKEN_A, TOKEN_B, weth]);
    const current = api.requests.filter((request) => request.url.startsWith('/prices/current/')).slice(before);
    expect(current.map((request) => request.url)).toEqual([`/prices/current/base:${TOKEN_A},base:${TOKEN_B},coingecko:ethereum`]);
    expect(quoted.get(TOKEN_A)).toEqual({ priceUsd: '0.00002', at: new Date((nowSeconds - 2 * HOUR) * 1000), source: 'defillama', stale: true });
    expect(quoted.get(TOKEN_B)).toMatchObject({ priceUsd: '7.5', source: 'defillama', stale: true });
    expect(quoted.get(weth)).toEqual({ priceUsd: '3801.5', at: new Date((nowSeconds - 30) * 1000), source: 'defillama', stale: false });
    expect(await pricing.latestPrice('base', NATIVE)).toMatchObject({ priceUsd: '3801.5', ageMs: clock.getTime() - (nowSeconds - 30) * 1000 });

    // Within the interval the answer comes from memory, its age growing; after it, one request again.
    clock = new Date(clock.getTime() + 30_000);
    expect(await services.prices('base', TOKEN_A)).toMatchObject({ priceUsd: '0.00002', source: 'defillama' });
    expect(requestsTo(/^\/prices\/current\//) - before).toBe(1);
    api.setHistory(`base:${TOKEN_A}`, [{ time: Math.floor(clock.getTime() / 1000) + 31, price: '0.00003' }]);
    clock = new Date(clock.getTime() + 31_000);
    expect(await services.prices('base', TOKEN_A)).toEqual({ priceUsd: '0.00003', at: clock, source: 'defillama', stale: false });
    expect(requestsTo(/^\/prices\/current\//) - before).toBe(2);
    // The report's other assets, due as well, came in the same request: asking them next costs nothing.
    expect(api.requests.filter((request) => request.url.startsWith('/prices/current/')).at(-1)?.url).toBe(
      `/prices/current/base:${TOKEN_A},base:${TOKEN_B},coingecko:ethereum`,
    );
    expect(await services.prices('base', TOKEN_B)).toMatchObject({ priceUsd: '7.5', source: 'defillama' });
    expect(await services.prices('base', weth)).toMatchObject({ priceUsd: '3801.5', source: 'defillama' });
    expect(requestsTo(/^\/prices\/current\//) - before).toBe(2);
  });

  it('behavior: the job says at start which price sources are on, in one line', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
    const config = configFor(api, { PRICE_SOURCES: 'chainlink,defillama' });
    const shutdown = createShutdown(logger);
    const job = createPriceRefreshJob({ db: database.db, config, logger: pino({ level: 'info' }, destination), shutdown }, serviceFor(config));
    job.start();
    await shutdown.run();
    const said = lines.map((line) => JSON.parse(line) as { msg: string; price_sources?: string[] });
    expect(said.filter((line) => line.price_sources)).toEqual([expect.objectContaining({ msg: 'price sources on: chainlink, defillama', price_sources: ['chainlink', 'defillama'] })]);
  });

  it('error: lookout refuses an unknown PRICE_SOURCES name with exit code 2 and one line naming it', async () => {
    const result = await runCli(['wallets'], { env: offlineEnv({ PRICE_SOURCES: 'chainlink,coinmarketcap' }), cwd: tempFolder() });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("PRICE_SOURCES names 'coinmarketcap', which is not a price source");
  });
});

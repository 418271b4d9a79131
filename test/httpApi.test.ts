import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry, createShutdown } from '../src/app/common.js';
import { createOutboxWorker } from '../src/bot/delivery/createOutboxWorker.js';
import { createLocalChartRenderer } from '../src/charts/createLocalChartRenderer.js';
import { executeCommand } from '../src/cli/executeCommand.js';
import { loadConfig, type LookoutConfig } from '../src/config/loadConfig.js';
import { createApiKey, revokeApiKey } from '../src/db/apiKeyQueries.js';
import { saveHoldingSnapshot } from '../src/db/holdingQueries.js';
import type { Database } from '../src/db/openDatabase.js';
import { alertOutbox, auditLog, balanceChanges, tokens, trades, wallets } from '../src/db/schema.js';
import { parseWorkspaceName } from '../src/cli/parseWorkspaceName.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createHttpServer, type HttpCommon, type HttpServer } from '../src/http/createHttpServer.js';
import { startHttpServer } from '../src/http/startHttpServer.js';
import { createLogger } from '../src/logger.js';
import { createTrackerMetrics } from '../src/tracker/pipeline/trackerMetrics.js';
import { createRpcMetrics } from '../src/tracker/rpcMetrics.js';
import { createTestDatabase } from './support/testDatabase.js';

const WALLET = '0x1111111111111111111111111111111111111111';
const OTHER = '0x2222222222222222222222222222222222222222';
const TOKEN = '0x3333333333333333333333333333333333333333';
const TOKEN_PRICE_AGE_MS = 2 * 3_600_000;
const TOKEN_PRICE_AT = new Date(Date.now() - TOKEN_PRICE_AGE_MS);

type Api = { server: HttpServer; url: string; common: HttpCommon };

let database: Database;
let config: LookoutConfig;
let api: Api;
const keys: Record<string, string> = {};

function testConfig(env: Record<string, string> = {}): LookoutConfig {
  return loadConfig(
    { LOOKOUT_CONFIG: '', PRICE_SOURCES: 'chainlink,pyth', DEFILLAMA_URL: 'http://127.0.0.1:9', LOOKOUT_CHAINS: 'base,solana', LOOKOUT_HTTP_PORT: '0', ...env },
    '/nonexistent-lookout-config-dir',
  );
}

/** The token's price: two hours old, so the portfolio marks it stale. */
async function prices(chain: string, asset: string) {
  return chain === 'base' && asset === TOKEN ? { priceUsd: '0.25', at: TOKEN_PRICE_AT, source: 'trade' } : null;
}

async function startApi(env: Record<string, string> = {}): Promise<Api> {
  const common: HttpCommon = {
    db: database.db,
    config: testConfig(env),
    logger: createLogger({ level: 'silent', pretty: false }),
    events: createEventBus(),
    metrics: createMetricsRegistry(),
  };
  const server = await createHttpServer(common, { prices, charts: createLocalChartRenderer() });
  const { url } = await server.listen({ host: '127.0.0.1', port: 0 });
  return { server, url, common };
}

async function call(method: string, path: string, options: { key?: string | null; body?: unknown; on?: Api } = {}) {
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? keys.alpha : options.key;
  if (key !== null && key !== undefined) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${(options.on ?? api).url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json() : type.startsWith('image/') ? Buffer.from(await response.arrayBuffer()) : await response.text();
  return { status: response.status, headers: response.headers, body: body as any };
}

/** Expects a JSON error with the code and a message of one sentence. */
function expectError(answer: { status: number; body: any }, status: number, code: string): string {
  expect(answer.status).toBe(status);
  expect(answer.body.error.code).toBe(code);
  const message = answer.body.error.message as string;
  expect(message.length).toBeGreaterThan(10);
  expect(message, 'one line').not.toContain('\n');
  expect(message.split(/\. (?=[A-Z])/).length, `one sentence: ${message}`).toBe(1);
  return message;
}

async function rowsOf(workspaceId: string) {
  const [walletRows] = await database.db.select({ n: count() }).from(wallets).where(eq(wallets.workspaceId, workspaceId));
  const [auditRows] = await database.db.select({ n: count() }).from(auditLog).where(eq(auditLog.workspaceId, workspaceId));
  return { wallets: Number(walletRows!.n), audit: Number(auditRows!.n) };
}

beforeAll(async () => {
  database = await createTestDatabase();
  config = testConfig();
  for (const workspace of ['alpha', 'beta']) await ensureWorkspace(database.db, parseWorkspaceName(workspace));
  keys.alpha = (await createApiKey(database.db, { workspaceId: 'alpha', name: 'ci', readOnly: false, actor: 'cli:test' })).secret;
  keys.reader = (await createApiKey(database.db, { workspaceId: 'alpha', name: 'dashboard', readOnly: true, actor: 'cli:test' })).secret;
  keys.beta = (await createApiKey(database.db, { workspaceId: 'beta', name: 'ci', readOnly: false, actor: 'cli:test' })).secret;
  keys.revoked = (await createApiKey(database.db, { workspaceId: 'alpha', name: 'old', readOnly: false, actor: 'cli:test' })).secret;
  await revokeApiKey(database.db, { workspaceId: 'alpha', ref: 'old', actor: 'cli:test' });
  api = await startApi();
});

afterAll(async () => {
  await api?.server.close();
  await database?.close();
});

describe('HTTP API: API keys', () => {
  it('error: no key, a wrong key and a revoked key are 401 with a JSON error', async () => {
    expect(expectError(await call('GET', '/api/v1/wallets', { key: null }), 401, 'unauthorized')).toMatch(/Authorization: Bearer/);
    expectError(await call('GET', '/api/v1/wallets', { key: 'lk_not-a-key' }), 401, 'unauthorized');
    expectError(await call('GET', '/api/v1/wallets', { key: keys.alpha!.slice(0, -1) }), 401, 'unauthorized');
    expectError(await call('GET', '/api/v1/wallets', { key: keys.revoked }), 401, 'unauthorized');
  });

  it('behavior: a read-only key reads and is refused every change with 403, nothing written', async () => {
    expect((await call('GET', '/api/v1/settings', { key: keys.reader })).status).toBe(200);
    const before = await rowsOf('alpha');
    expectError(await call('POST', '/api/v1/wallets', { key: keys.reader, body: { address: OTHER } }), 403, 'forbidden');
    expectError(await call('PATCH', '/api/v1/settings', { key: keys.reader, body: { alertsEnabled: false } }), 403, 'forbidden');
    expectError(await call('DELETE', '/api/v1/groups/none', { key: keys.reader }), 403, 'forbidden');
    expect(await rowsOf('alpha')).toEqual(before);
  });

  it("behavior: a key of one workspace sees and changes nothing of another's", async () => {
    expect((await call('POST', '/api/v1/wallets', { body: { address: OTHER, label: 'alpha_only', chain: 'base' } })).status).toBe(201);
    const seen = await call('GET', '/api/v1/wallets', { key: keys.beta });
    expect(seen.body.wallets).toEqual([]);
    expectError(await call('DELETE', '/api/v1/wallets/alpha_only', { key: keys.beta }), 404, 'not_found');
    expectError(await call('GET', '/api/v1/pnl?wallet=alpha_only', { key: keys.beta }), 404, 'not_found');
    expect((await call('GET', '/api/v1/trades', { key: keys.beta })).body.trades).toEqual([]);
    expect((await call('DELETE', '/api/v1/wallets/alpha_only')).status).toBe(200);
  });

  it('behavior: past the rate limit a key gets 429 with Retry-After, counted across instances; another key is not affected', async () => {
    // Two instances on one database, each with a limit of 3 a minute: together they let one key make 3 requests.
    const limited = await startApi({ LOOKOUT_API_RATE_LIMIT: '3' });
    const twin = await startApi({ LOOKOUT_API_RATE_LIMIT: '3' });
    const busy = (await createApiKey(database.db, { workspaceId: 'alpha', name: 'busy', readOnly: false, actor: 'cli:test' })).secret;
    const calm = (await createApiKey(database.db, { workspaceId: 'alpha', name: 'calm', readOnly: false, actor: 'cli:test' })).secret;
    try {
      // Note: a minute that ends mid-test would start the count again; begin at the start of a fresh one.
      const seconds = new Date().getUTCSeconds();
      if (seconds > 55) await new Promise((resolve) => setTimeout(resolve, (61 - seconds) * 1000));
      for (const on of [limited, twin, limited]) expect((await call('GET', '/api/v1/settings', { on, key: busy })).status).toBe(200);
      const refused = await call('GET', '/api/v1/settings', { on: twin, key: busy });
      expectError(refused, 429, 'rate_limited');
      const wait = Number(refused.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect((await call('GET', '/api/v1/settings', { on: limited, key: calm })).status).toBe(200);
    } finally {
      await limited.server.close();
      await twin.server.close();
    }
  }, 20_000);
});

describe('HTTP API: wallets and groups', () => {
  it('behavior: tracks, lists, relabels and untracks a wallet, through the same checks as the chats', async () => {
    const tracked = await call('POST', '/api/v1/wallets', { body: { address: WALLET, label: 'whale', chain: 'base' } });
    expect(tracked.status).toBe(201);
    expect(tracked.body).toMatchObject({ address: WALLET, label: 'whale', chains: ['base'] });
    expectError(await call('POST', '/api/v1/wallets', { body: { address: WALLET, label: 'whale', chain: 'base' } }), 409, 'conflict');

    const listed = await call('GET', '/api/v1/wallets');
    expect(listed.body.wallets).toEqual([expect.objectContaining({ label: 'whale', address: WALLET, chains: ['base'], groups: [] })]);

    const relabelled = await call('PATCH', '/api/v1/wallets/whale', { body: { label: 'big_whale' } });
    expect(relabelled.status).toBe(200);
    expect(relabelled.body.wallets).toEqual([{ chain: 'base', address: WALLET, label: 'big_whale' }]);
    expect((await call('PATCH', '/api/v1/wallets/big_whale', { body: { label: 'whale' } })).status).toBe(200);

    expect((await call('POST', '/api/v1/wallets', { body: { address: OTHER, label: 'spare', chain: 'base' } })).status).toBe(201);
    expect(expectError(await call('PATCH', '/api/v1/wallets/spare', { body: { label: 'whale' } }), 409, 'conflict')).toMatch(/already used/);
    const removed = await call('DELETE', '/api/v1/wallets/spare');
    expect(removed.body.removed).toEqual([{ chain: 'base', address: OTHER, label: 'spare' }]);
    expectError(await call('DELETE', '/api/v1/wallets/spare'), 404, 'not_found');
  });

  it('error: bad input is a 400 with one sentence and nothing is written', async () => {
    const before = await rowsOf('alpha');
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/api/v1/wallets', { address: '0x12345' }, /address/i],
      ['POST', '/api/v1/wallets', { address: WALLET, label: 'a'.repeat(40) }, /label/],
      ['POST', '/api/v1/wallets', { address: OTHER, chain: 'nochain' }, /not a known chain/],
      ['POST', '/api/v1/wallets', { label: 'x' }, /address/],
      ['POST', '/api/v1/wallets', { address: OTHER, colour: 'red' }, /body/],
      ['PATCH', '/api/v1/wallets/whale', { label: 'has space' }, /label/],
      ['POST', '/api/v1/groups', { name: 'bad name!' }, /group name/],
      ['POST', '/api/v1/alert-routes', { destination: 'irc:#x' }, /destination/],
      ['POST', '/api/v1/alert-routes', { destination: 'console', minUsd: 'lots' }, /USD/],
      ['POST', '/api/v1/alert-routes', { destination: 'console', signal: '3/1h' }, /A signal counts the wallets of a group/],
      ['POST', '/api/v1/alert-routes', { destination: 'console', signal: 'often' }, /not a signal setting/],
      ['PATCH', '/api/v1/settings', { alertsMinUsd: '500', pnlMethod: 'lifo' }, /PnL method/],
      ['PATCH', '/api/v1/settings', { alertsTypes: 'buy,moon' }, /kind of trade/],
    ];
    for (const [method, path, body, pattern] of cases) {
      const answer = await call(method, path, { body });
      expect(expectError(answer, 400, 'bad_request'), `${method} ${path} ${JSON.stringify(body)}`).toMatch(pattern);
    }
    expectError(await call('GET', '/api/v1/trades?kind=moon'), 400, 'bad_request');
    expectError(await call('GET', '/api/v1/trades?limit=1000'), 400, 'bad_request');
    expectError(await call('GET', '/api/v1/pnl?window=1y'), 400, 'bad_request');
    const notJson = await fetch(`${api.url}/api/v1/wallets`, { method: 'POST', headers: { authorization: `Bearer ${keys.alpha}`, 'content-type': 'application/json' }, body: '{"address":' });
    expect(notJson.status).toBe(400);
    expect(await rowsOf('alpha')).toEqual(before);
    expect((await call('GET', '/api/v1/settings')).body.alertsMinUsd).toBeNull();
  });

  it('behavior: creates a group, adds and removes members, and deletes it', async () => {
    expect((await call('POST', '/api/v1/groups', { body: { name: 'whales' } })).status).toBe(201);
    expectError(await call('POST', '/api/v1/groups', { body: { name: 'whales' } }), 409, 'conflict');
    const added = await call('POST', '/api/v1/groups/whales/members', { body: { wallets: ['whale'] } });
    expect(added.body).toEqual({ group: 'whales', added: [{ chain: 'base', address: WALLET, label: 'whale' }] });
    expect((await call('GET', '/api/v1/groups/whales')).body).toEqual({ name: 'whales', wallets: [{ label: 'whale', address: WALLET, chains: ['base'] }] });
    expect((await call('GET', '/api/v1/groups')).body.groups).toHaveLength(1);
    expectError(await call('POST', '/api/v1/groups/nobody/members', { body: { wallets: ['whale'] } }), 404, 'not_found');
    expect((await call('DELETE', '/api/v1/groups/whales/members/whale')).body.removed).toHaveLength(1);
    expectError(await call('DELETE', '/api/v1/groups/whales/members/whale'), 404, 'not_found');
    expect((await call('DELETE', '/api/v1/groups/whales')).body).toEqual({ name: 'whales', removedRoutes: [] });
    expectError(await call('GET', '/api/v1/groups/whales'), 404, 'not_found');
  });
});

describe('HTTP API: trades, PnL, portfolio, history and charts', () => {
  const base = new Date('2024-03-01T12:00:00Z').getTime();
  let stable: string;

  beforeAll(async () => {
    stable = config.chains.find((chain) => chain.name === 'base')!.stablecoins[0]!;
    await database.db.insert(tokens).values([
      { chain: 'base', address: TOKEN, symbol: 'TKN', decimals: 18 },
      { chain: 'base', address: stable, symbol: 'USDC', decimals: 6, isStablecoin: true },
    ]).onConflictDoNothing();
    // Seven buys of 1000 TKN for $100 each; the 3rd and 4th share a block time, so the cursor must break the tie by id.
    const times = [0, 1, 2, 2, 3, 4, 5].map((minutes) => new Date(base + minutes * 60_000));
    for (const [index, time] of times.entries()) {
      const txHash = `0x${(index + 1).toString(16).padStart(64, '0')}`;
      await database.db.insert(trades).values({
        chain: 'base',
        blockNumber: BigInt(100 + index),
        blockHash: `0x${'b'.repeat(63)}${index}`,
        blockTime: time,
        txHash,
        wallet: WALLET,
        kind: 'buy',
        baseAsset: TOKEN,
        baseAmount: 1000n * 10n ** 18n,
        quoteAsset: stable,
        quoteAmount: 100_000_000n,
        usdValue: '100',
      });
      await database.db.insert(balanceChanges).values([
        { chain: 'base', blockNumber: BigInt(100 + index), blockHash: `0x${'b'.repeat(63)}${index}`, blockTime: time, txHash, wallet: WALLET, asset: TOKEN, amount: 1000n * 10n ** 18n },
        { chain: 'base', blockNumber: BigInt(100 + index), blockHash: `0x${'b'.repeat(63)}${index}`, blockTime: time, txHash, wallet: WALLET, asset: stable, amount: -100_000_000n },
      ]);
    }
    for (const [hours, value] of [[2, '1500'], [1, '1750']] as const) {
      await saveHoldingSnapshot(database.db, new Date(Date.now() - hours * 3_600_000), [
        { chain: 'base', wallet: WALLET, asset: TOKEN, amount: 7000n * 10n ** 18n, valueUsd: value },
      ]);
    }
  });

  it('behavior: pages through trades newest first with an opaque cursor, each trade once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = await call('GET', `/api/v1/trades?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.trades.map((trade: { id: number }) => trade.id));
      cursor = page.body.next;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    const all = (await call('GET', '/api/v1/trades?limit=200')).body.trades;
    expect(all.map((trade: { id: number }) => trade.id)).toEqual(seen);
    const times = all.map((trade: { blockTime: string }) => trade.blockTime);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all[0]).toMatchObject({ chain: 'base', label: 'whale', kind: 'buy', usdValue: '100', base: { symbol: 'TKN', amount: '1000', rawAmount: '1000000000000000000000' } });
    expect(all[0].quote).toMatchObject({ symbol: 'USDC', amount: '100', decimals: 6 });
  });

  it('behavior: filters trades by wallet, chain, kind and time', async () => {
    expect((await call('GET', '/api/v1/trades?wallet=whale&chain=base&kind=buy')).body.trades).toHaveLength(7);
    expect((await call('GET', '/api/v1/trades?kind=sell')).body.trades).toHaveLength(0);
    expect((await call('GET', '/api/v1/trades?chain=solana')).body.trades).toHaveLength(0);
    const window = await call('GET', `/api/v1/trades?since=${new Date(base + 60_000).toISOString()}&until=${new Date(base + 3 * 60_000).toISOString()}`);
    expect(window.body.trades).toHaveLength(3);
    expectError(await call('GET', '/api/v1/trades?cursor=bm9wZQ'), 400, 'bad_request');
    expectError(await call('GET', '/api/v1/trades?wallet=nobody'), 404, 'not_found');
  });

  it('behavior: /pnl answers the fields of lookout pnl --json, for the same options', async () => {
    const answer = await call('GET', '/api/v1/pnl?window=all&method=fifo');
    expect(answer.status).toBe(200);
    let stdout = '';
    const code = await executeCommand(
      ['pnl', '--json', '--workspace', 'alpha', '--window', 'all', '--method', 'fifo'],
      { db: database.db, config, events: createEventBus(), actor: 'cli:test', prices, charts: createLocalChartRenderer() },
      { out: (text) => (stdout += text), err: () => {} },
    );
    expect(code).toBe(0);
    expect(answer.body).toEqual(JSON.parse(stdout));
    expect(answer.body.investedUsd).toBe('700.00');
    expect(answer.body.positions).toEqual([expect.objectContaining({ symbol: 'TKN', amount: '7000', valueUsd: '1750.00', priceUsd: '0.25' })]);
  });

  it('behavior: /portfolio lists holdings with value, price and its age; /history the value over time', async () => {
    const portfolio = await call('GET', '/api/v1/portfolio?wallet=whale');
    expect(portfolio.status).toBe(200);
    expect(portfolio.body.valueUsd).toBe('1750.00');
    const [holding] = portfolio.body.holdings;
    expect(holding).toMatchObject({ chain: 'base', token: TOKEN, symbol: 'TKN', amount: '7000', valueUsd: '1750.00', priceUsd: '0.25', stale: true });
    expect(Math.abs(holding.priceAgeSeconds - TOKEN_PRICE_AGE_MS / 1000)).toBeLessThan(60);

    const history = await call('GET', '/api/v1/history?window=7d');
    expect(history.body).toEqual({ window: '7d', points: [expect.objectContaining({ valueUsd: '1500.00' }), expect.objectContaining({ valueUsd: '1750.00' })] });
  });

  it('behavior: draws the /pnl charts as PNG; bad chart options are 400', async () => {
    for (const kind of ['pnl', 'allocation', 'value']) {
      const chart = await call('GET', `/api/v1/charts/${kind}.png?size=400x240`);
      expect(chart.status, kind).toBe(200);
      expect(chart.headers.get('content-type')).toBe('image/png');
      expect((chart.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    }
    expectError(await call('GET', '/api/v1/charts/pie.png'), 400, 'bad_request');
    expectError(await call('GET', '/api/v1/charts/pnl.png?size=big'), 400, 'bad_request');
    expectError(await call('GET', '/api/v1/charts/value.png', { key: keys.beta }), 404, 'not_found');
  });
});

describe('HTTP API: alert routes, settings and the audit log', () => {
  it('behavior: adds, lists and removes an alert route', async () => {
    const saved = await call('POST', '/api/v1/alert-routes', { body: { destination: 'telegram:-1001', minUsd: '250', types: 'buy,sell' } });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ destination: 'telegram:-1001', group: null, minUsd: '250', types: ['buy', 'sell'], signal: null, paused: false, createdBy: 'api:ci' });
    expect((await call('GET', '/api/v1/alert-routes')).body.routes).toEqual([saved.body]);
    expect((await call('GET', '/api/v1/alert-routes', { key: keys.beta })).body.routes).toEqual([]);
    expectError(await call('DELETE', `/api/v1/alert-routes/${saved.body.id}`, { key: keys.beta }), 404, 'not_found');
    expect((await call('DELETE', `/api/v1/alert-routes/${saved.body.id}`)).body).toEqual({ id: saved.body.id });
    expectError(await call('DELETE', `/api/v1/alert-routes/${saved.body.id}`), 404, 'not_found');
  });

  it('behavior: a group route has the multi-wallet signal on with 3/1h unless the body sets it or turns it off', async () => {
    expect((await call('POST', '/api/v1/groups', { body: { name: 'sharks' } })).status).toBe(201);
    const byDefault = await call('POST', '/api/v1/alert-routes', { body: { destination: 'telegram:-1002', group: 'sharks' } });
    expect(byDefault.body).toMatchObject({ group: 'sharks', signal: { minWallets: 3, windowSeconds: 3_600 } });
    const tuned = await call('POST', '/api/v1/alert-routes', { body: { destination: 'telegram:-1002', group: 'sharks', signal: '5/30m' } });
    expect(tuned.body.signal).toEqual({ minWallets: 5, windowSeconds: 1_800 });
    const off = await call('POST', '/api/v1/alert-routes', { body: { destination: 'telegram:-1002', group: 'sharks', signal: 'off' } });
    expect(off.body.signal).toBeNull();
    expect((await call('GET', '/api/v1/alert-routes')).body.routes).toEqual([off.body]);
    expect((await call('DELETE', '/api/v1/groups/sharks')).status).toBe(200);
  });

  it('behavior: shows and changes settings', async () => {
    expect((await call('GET', '/api/v1/settings')).body).toEqual({ alertsEnabled: true, alertsMinUsd: null, alertsTypes: null, pnlMethod: 'fifo', feesInBasis: false });
    const changed = await call('PATCH', '/api/v1/settings', { body: { alertsMinUsd: '500', pnlMethod: 'average', alertsTypes: 'buy' } });
    expect(changed.body).toEqual({ alertsEnabled: true, alertsMinUsd: '500', alertsTypes: ['buy'], pnlMethod: 'average', feesInBasis: false });
    expect((await call('PATCH', '/api/v1/settings', { body: { alertsMinUsd: '0', pnlMethod: 'fifo', alertsTypes: 'all' } })).status).toBe(200);
  });

  it('behavior: every change through the API is in the audit log as api:<key name>', async () => {
    const rows = await database.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, 'alpha'), eq(auditLog.actor, 'api:ci')));
    const actions = new Set(rows.map((row) => row.action));
    for (const action of ['track', 'untrack', 'relabel', 'group_create', 'alert_route', 'alert_route_remove']) {
      expect(actions, action).toContain(action);
    }
    expect(rows.some((row) => row.actor !== 'api:ci')).toBe(false);
  });
});

describe('HTTP API: OpenAPI document', () => {
  it('behavior: /api/v1/openapi.json lists every route with its schemas, without a key', async () => {
    const answer = await call('GET', '/api/v1/openapi.json', { key: null });
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toMatch(/^3\./);
    const routes = Object.entries(answer.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const expected = [
      'GET /api/v1/wallets', 'POST /api/v1/wallets', 'DELETE /api/v1/wallets/{wallet}', 'PATCH /api/v1/wallets/{wallet}',
      'GET /api/v1/groups', 'POST /api/v1/groups', 'GET /api/v1/groups/{name}', 'DELETE /api/v1/groups/{name}',
      'POST /api/v1/groups/{name}/members', 'DELETE /api/v1/groups/{name}/members/{wallet}',
      'GET /api/v1/trades', 'GET /api/v1/pnl', 'GET /api/v1/portfolio', 'GET /api/v1/history', 'GET /api/v1/charts/{kind}',
      'GET /api/v1/alert-routes', 'POST /api/v1/alert-routes', 'DELETE /api/v1/alert-routes/{id}',
      'GET /api/v1/settings', 'PATCH /api/v1/settings', 'GET /live', 'GET /ready', 'GET /health', 'GET /metrics',
    ];
    expect(new Set(routes)).toEqual(new Set(expected));
    const track = answer.body.paths['/api/v1/wallets'].post;
    expect(track.requestBody.content['application/json'].schema.properties).toHaveProperty('address');
    expect(track.security).toEqual([{ bearer: [] }]);
    expect(answer.body.paths['/api/v1/trades'].get.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['wallet', 'group', 'chain', 'kind', 'since', 'until', 'cursor', 'limit']),
    );
  });
});

describe('HTTP API: probes and metrics', () => {
  it('behavior: /live answers; /ready waits for every followed chain to be within its lag budget', async () => {
    expect((await call('GET', '/live', { key: null })).body).toEqual({ status: 'live' });
    const starting = await call('GET', '/ready', { key: null });
    expect(starting.status).toBe(503);
    expect(starting.body.reasons).toEqual(['base has not reported its head yet.', 'solana has not reported its head yet.']);

    const tracker = createTrackerMetrics(api.common.metrics, api.common.events);
    tracker.metrics.headLag('base', 3n);
    tracker.metrics.headLag('solana', 20n);
    expect(await call('GET', '/ready', { key: null })).toMatchObject({ status: 200, body: { status: 'ready', reasons: [] } });

    tracker.metrics.headLag('base', 5_000n);
    const behind = await call('GET', '/ready', { key: null });
    expect(behind.status).toBe(503);
    expect(behind.body.reasons).toEqual(['base is 5000 blocks behind its head, over its budget of 60.']);

    const health = await call('GET', '/health', { key: null });
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', database: 'ok' });
    expect(health.body.chains).toEqual([
      expect.objectContaining({ chain: 'base', lagBlocks: 5000, lagBudgetBlocks: 60, ready: false, lastTradeAt: '2024-03-01T12:05:00.000Z' }),
      expect.objectContaining({ chain: 'solana', lagBlocks: 20, ready: true, lastTradeAt: null }),
    ]);
    expect(health.body.sinks).toEqual([{ sink: 'console', outboxPending: 0 }]);
    tracker.metrics.headLag('base', 3n);
    tracker.stop();
  });

  it('behavior: /metrics is Prometheus text with the metrics of the chains, RPC, outbox and delivery', async () => {
    createTrackerMetrics(api.common.metrics, api.common.events).stop();
    createRpcMetrics(api.common.metrics)('base')('eth_blockNumber', 'ok', 0.02);
    // One alert of a stored trade, delivered through a worker with the registry: counted, and timed from its block.
    const [trade] = await database.db.select({ id: trades.id }).from(trades).limit(1);
    await database.db.insert(alertOutbox).values({ tradeId: trade!.id, workspaceId: 'alpha', destination: 'console' });
    expect(await (await fetch(`${api.url}/health`)).json()).toMatchObject({ sinks: [{ sink: 'console', outboxPending: 1 }] });
    expect(await (await fetch(`${api.url}/metrics`)).text()).toContain('lookout_outbox_pending{sink="console"} 1');
    const worker = createOutboxWorker({ ...api.common, scope: { prefix: 'console' }, deliver: async () => ({ status: 'sent' }) });
    expect(await worker.drain()).toBe(1);
    expect(await (await fetch(`${api.url}/health`)).json()).toMatchObject({ sinks: [{ sink: 'console', outboxPending: 0 }] });
    const answer = await fetch(`${api.url}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await answer.text();
    for (const line of text.trim().split('\n').filter((entry) => entry !== '')) {
      expect(line).toMatch(/^(# (HELP|TYPE) [a-z_:][a-z0-9_:]* .+|[a-z_:][a-z0-9_:]*(\{[^}]*\})? [-+0-9.eEInfNa]+)$/);
    }
    for (const name of [
      'lookout_chain_head_lag_blocks',
      'lookout_rpc_requests_total',
      'lookout_rpc_request_duration_seconds',
      'lookout_trades_stored_total',
      'lookout_outbox_pending',
      'lookout_alerts_delivered_total',
      'lookout_alert_delivery_seconds',
      'lookout_decode_skipped_total',
      'process_cpu_seconds_total',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('lookout_rpc_requests_total{chain="base",method="eth_blockNumber",outcome="ok"} 1');
    expect(text).toContain('lookout_outbox_pending{sink="console"} 0');
    expect(text).toContain('lookout_alerts_delivered_total{sink="console"} 1');
    expect(text).toMatch(/lookout_alert_delivery_seconds_count\{sink="console"\} 1\n/);
    expect(text).toMatch(/lookout_alert_delivery_seconds_bucket\{le="3600",sink="console"\} 0\n/);
  });

  it('error: a port in use stops lookout run with one sentence that says what to set', async () => {
    const port = new URL(api.url).port;
    const common = { ...api.common, config: testConfig({ LOOKOUT_HTTP_PORT: port }), shutdown: createShutdown(api.common.logger) };
    await expect(startHttpServer(common, { prices, charts: createLocalChartRenderer() })).rejects.toThrow(
      `The HTTP API cannot listen on 127.0.0.1:${port}: port ${port} is in use; set LOOKOUT_HTTP_PORT to another port (0 picks a free one) or off, or fix LOOKOUT_HTTP_HOST.`,
    );
    await common.shutdown.run();
    expect((await call('GET', '/live', { key: null })).status).toBe(200);
  });

  it('behavior: an unknown path is a JSON 404', async () => {
    expectError(await call('GET', '/api/v2/wallets', { key: null }), 404, 'not_found');
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { PermissionFlagsBits } from 'discord.js';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runChatCommand, EXCHANGE_PRIVATE_ONLY } from '../src/bot/chat/runChatCommand.js';
import type { CommandContext } from '../src/bot/commandContext.js';
import { executeCommand } from '../src/cli/executeCommand.js';
import { loadConfig, type LookoutConfig } from '../src/config/loadConfig.js';
import type { Database } from '../src/db/openDatabase.js';
import { alertOutbox, exchangeAccounts, trades, wallets } from '../src/db/schema.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { LookoutError, UserInputError } from '../src/errors/LookoutError.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createLogger, type Logger } from '../src/logger.js';
import { createExchangeClient } from '../src/tracker/exchange/createExchangeClient.js';
import { addExchangeAccount } from '../src/usecases/addExchangeAccount.js';
import { createExchangeSyncJob } from '../src/usecases/createExchangeSyncJob.js';
import { listExchangeAccounts } from '../src/usecases/listExchangeAccounts.js';
import { portfolioPnl } from '../src/usecases/portfolioPnl.js';
import { createSecretBox, MISSING_SECRET_KEY } from '../src/usecases/secretBox.js';
import type { UseCaseDeps } from '../src/usecases/UseCaseDeps.js';
import { startBinanceServer, type BinanceServer, type BinanceTrade } from './support/exchanges/binanceServer.js';
import { startCoinbaseExchangeServer, type CoinbaseExchangeServer } from './support/exchanges/coinbaseExchangeServer.js';
import { startDiscordLookout, startTelegramLookout } from './support/inProcessLookout.js';
import { consoleAlerts } from './support/consoleAlerts.js';
import { createTestDatabase } from './support/testDatabase.js';

const SECRET_KEY = 'q3Xh0bWJ0jZ8mC8yB8m2c2m0Yk1d0b7r9qV1k2PZC3s=';
const BINANCE = { key: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A', secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j' };
const COINBASE = { key: 'c5d3a1f2e4b6a8c0d2e4f6a8b0c2d4e6', secret: Buffer.from('coinbase exchange secret of the test account').toString('base64'), passphrase: 'z1x2c3v4b5n6' };
const HOUR = 3_600_000;

/** A Binance fill in Binance's shape; `time` in ms. */
function binanceTrade(id: number, symbol: string, side: 'buy' | 'sell', qty: string, price: string, time: number, fee: [string, string]): BinanceTrade {
  const quoteQty = (Number(qty) * Number(price)).toFixed(8);
  return { symbol, id, orderId: 1000 + id, orderListId: -1, price, qty, quoteQty, commission: fee[0], commissionAsset: fee[1], time, isBuyer: side === 'buy', isMaker: false, isBestMatch: true };
}

describe('exchange accounts', () => {
  let database: Database;
  let binance: BinanceServer;
  let coinbase: CoinbaseExchangeServer;
  let config: LookoutConfig;
  let deps: UseCaseDeps;
  let logger: Logger;
  let logs: string[];

  beforeAll(async () => {
    binance = await startBinanceServer(BINANCE);
    coinbase = await startCoinbaseExchangeServer(COINBASE);
  });
  afterAll(async () => {
    await binance.close();
    await coinbase.close();
  });
  beforeEach(async () => {
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    const env = { LOOKOUT_SECRET_KEY: SECRET_KEY, BINANCE_API_URL: binance.url, COINBASE_API_URL: coinbase.url, EXCHANGE_SYNC_SECONDS: '10' };
    config = loadConfig(env, mkdtempSync(path.join(tmpdir(), 'lookout-exchange-')));
    logs = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    logger = createLogger({ level: 'debug', pretty: false, destination });
    deps = { db: database.db, config, events: createEventBus(), workspaceId: 'local', actor: 'cli:test', prices: async () => null };
    binance.trades.length = 0;
    binance.deposits.length = 0;
    binance.withdrawals.length = 0;
    coinbase.transfers.length = 0;
    binance.balances.length = 0;
    binance.calls.length = 0;
    binance.queries.length = 0;
    binance.restrictions.enableWithdrawals = false;
    binance.restrictions.enableSpotAndMarginTrading = false;
    coinbase.fills.length = 0;
    coinbase.balances = {};
  });
  afterEach(async () => {
    await database.close();
  });

  const count = async (table: typeof trades | typeof exchangeAccounts | typeof wallets | typeof alertOutbox) =>
    (await database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
  const addBinance = () => addExchangeAccount(deps, { exchange: 'binance', label: 'main', key: BINANCE.key, secret: BINANCE.secret });

  it('error: a Binance key that may withdraw is refused, and nothing is stored', async () => {
    binance.restrictions.enableWithdrawals = true;
    await expect(addBinance()).rejects.toThrow(/may withdraw or transfer funds; Lookout only takes read-only keys/);
    binance.restrictions.enableWithdrawals = false;
    binance.restrictions.enableSpotAndMarginTrading = true;
    await expect(addBinance()).rejects.toThrow(/may trade; Lookout only takes read-only keys/);
    expect(binance.calls).toContain('GET /sapi/v1/account/apiRestrictions');
    expect(await count(exchangeAccounts)).toBe(0);
    expect(await count(wallets)).toBe(0);
  });

  it('error: a wrong Binance secret is refused in one sentence that never quotes it', async () => {
    const refused = await addExchangeAccount(deps, { exchange: 'binance', label: 'main', key: BINANCE.key, secret: 'not-the-secret-of-this-key' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserInputError);
    expect((refused as Error).message).toBe('Binance refused this key; check the key, the secret, and that it may read the account.');
    expect(await count(exchangeAccounts)).toBe(0);
  });

  it('behavior: keys are stored encrypted; the table holds neither the key nor the secret in plain text', async () => {
    const added = await addBinance();
    expect(added).toEqual({ exchange: 'binance', label: 'main', keyEnding: BINANCE.key.slice(-4) });
    const rows = await database.db.execute(sql`select * from exchange_accounts`);
    const stored = JSON.stringify(rows);
    expect(stored).toContain('v1.');
    for (const plain of [BINANCE.key, BINANCE.secret, BINANCE.key.slice(0, 16), BINANCE.secret.slice(8, 24)]) expect(stored).not.toContain(plain);
    const [row] = await database.db.select().from(exchangeAccounts);
    const box = createSecretBox(config.exchanges!.secretKey);
    expect(box.open(row!.keyCiphertext)).toBe(BINANCE.key);
    expect(box.open(row!.secretCiphertext)).toBe(BINANCE.secret);
    // Note: the same text sealed twice differs: a random IV per value.
    expect(box.seal(BINANCE.key)).not.toBe(row!.keyCiphertext);
    // Another LOOKOUT_SECRET_KEY cannot open it.
    expect(() => createSecretBox(Buffer.alloc(32, 7)).open(row!.secretCiphertext)).toThrow();
    const audit = JSON.stringify(await database.db.execute(sql`select * from audit_log`));
    expect(audit).toContain('exchange_add');
    expect(audit).not.toContain(BINANCE.key);
  });

  it('behavior: sync stores each Binance fill once, run twice and after a rate limit, alerts new trades only, and PnL counts them in USD', async () => {
    const start = Date.now();
    binance.balances.push({ asset: 'BTC', free: '0.00400000', locked: '0.00100000' }, { asset: 'USDT', free: '150.00000000', locked: '0.00000000' }, { asset: 'BNB', free: '0.09000000', locked: '0.00000000' });
    // History before the account was added: stored without alerts.
    binance.trades.push(binanceTrade(11, 'BTCUSDT', 'buy', '0.01000000', '40000.00000000', start - 2 * HOUR, ['0.00001000', 'BTC']));
    await addBinance();
    binance.trades.push(binanceTrade(12, 'BTCUSDT', 'sell', '0.00500000', '50000.00000000', start + 1_000, ['0.25000000', 'USDT']));
    const marketLoads = () => binance.calls.filter((call) => call === 'GET /api/v3/exchangeInfo').length;
    const loadedByAdd = marketLoads();
    const job = createExchangeSyncJob({ db: database.db, logger, events: deps.events, config });
    const first = await job.runOnce(new Date(start + 5_000));
    expect(first.map((result) => result.outcome)).toEqual(['synced']);
    expect(await count(trades)).toBe(2);
    expect(await count(alertOutbox)).toBe(1);

    const alerts = consoleAlerts({ db: database.db, config, logger, events: deps.events });
    await alerts.drain();
    const [sale] = alerts.alertsFor('BTC/USDT#12');
    expect(sale).toMatchObject({ kind: 'sell', label: 'main', venue: 'binance', usd: '250', sent: [{ asset: 'BTC', symbol: 'BTC', amount: '0.005' }] });
    expect(sale!.sale).toMatchObject({ method: 'fifo' });
    expect(alerts.alertsFor('BTC/USDT#11')).toEqual([]);

    // Run again: nothing new.
    const second = await job.runOnce(new Date(start + 20_000));
    expect(second.map((result) => [result.outcome, result.stored.length])).toEqual([['synced', 0]]);
    expect(await count(trades)).toBe(2);

    // A rate limit delays the sync, keeps the cursor, and is shown in the list.
    binance.trades.push(binanceTrade(13, 'BTCUSDT', 'buy', '0.00100000', '60000.00000000', start + 30_000, ['0.00010000', 'BNB']));
    binance.limitNext('/api/v3/myTrades', 1);
    const limited = await job.runOnce(new Date(start + 40_000));
    expect(limited.map((result) => result.outcome)).toEqual(['retry']);
    const [waiting] = await listExchangeAccounts(deps);
    expect(waiting).toMatchObject({ status: 'retrying', problem: 'the exchange asked to slow down; syncing again later' });
    expect(await count(trades)).toBe(2);
    // Not due yet: the backoff holds.
    expect(await job.runOnce(new Date(start + 41_000))).toEqual([]);
    const retried = await job.runOnce(new Date(start + 10 * 60_000));
    expect(retried.map((result) => [result.outcome, result.stored.length])).toEqual([['synced', 1]]);
    // The buy and its BNB fee, stored apart as the fee leaving the account.
    expect(await count(trades)).toBe(4);
    expect(await count(alertOutbox)).toBe(2);
    // A deposit and a withdrawal: transfers in and out of the account, alerted once.
    const at = new Date(start + 15 * 60_000);
    binance.deposits.push(
      { id: '769800519366885376', amount: '0.002', coin: 'BTC', network: 'BTC', status: 1, address: 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh', addressTag: '', txId: '98a3ea560c6b3336d348b6c83f0f95ece4f1f5919f94e8b7a54b2f5a1c1fa1c1', insertTime: at.getTime(), completeTime: at.getTime() + 60_000, transferType: 0, confirmTimes: '2/2', unlockConfirm: 0, walletType: 0 },
      { id: '769800519366885377', amount: '1', coin: 'BTC', network: 'BTC', status: 0, address: 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh', addressTag: '', txId: 'aa', insertTime: at.getTime() + 1_000, transferType: 0, confirmTimes: '0/2', unlockConfirm: 0, walletType: 0 },
    );
    const applied = new Date(at.getTime() + 2_000).toISOString().replace('T', ' ').slice(0, 19);
    binance.withdrawals.push({ id: 'b6ae22b3aa844210a7041aee7589627c', amount: '50', transactionFee: '1', coin: 'USDT', status: 6, address: '0x94df8b352de7f46f64b01d3666bf6e936e44ce60', txId: '0xb5ef8c13b968a406cc62a93a8bd80f9e9a906ef1b3fcf20a2e48573c17659268', applyTime: applied, network: 'ETH', transferType: 0, info: '', confirmNo: 3, walletType: 0, txKey: '', completeTime: applied });
    const moved = await job.runOnce(new Date(start + 20 * 60_000));
    expect(moved.map((result) => [result.outcome, result.stored.map((trade) => trade.kind).sort()])).toEqual([['synced', ['transfer_in', 'transfer_out']]]);
    await job.runOnce(new Date(start + 30 * 60_000));
    expect(await count(trades)).toBe(6);
    expect(await count(alertOutbox)).toBe(4);
    // Five syncs, one load of the market list: it is kept an hour.
    expect(marketLoads() - loadedByAdd).toBe(1);
    // Binance pages by trade id and refuses fromId with a time window: none is sent.
    const asked = binance.queries.filter((query) => query.startsWith('/api/v3/myTrades?'));
    expect(asked.some((query) => query.includes('symbol=BTCUSDT') && query.includes('fromId=14'))).toBe(true);
    expect(asked.every((query) => !query.includes('startTime') && !query.includes('endTime'))).toBe(true);
    const listed = await runChatCommand({ ...deps, charts: undefined as never }, 'trades', '', { destination: 'console', name: 'console' });
    expect(listed.lines.map((line) => (typeof line === 'string' ? line : line.map((span) => span.text).join('')))).toContain(
      `${new Date(start + 1_000).toISOString().replace('T', ' ').slice(0, 16)} [binance] main SELL 0.005 BTC for 250 USDT ($250.00) · BTC/USDT#12`,
    );
    const [synced] = await listExchangeAccounts(deps);
    expect(synced).toMatchObject({ exchange: 'binance', label: 'main', status: 'ok', problem: null });

    const pnl = await portfolioPnl(deps, {}, new Date(start + HOUR));
    const btc = pnl.report.positions.find((position) => position.chain === 'binance' && position.token === 'BTC')!;
    // Bought 0.00999 net of its BTC fee for 400, sold 0.005 for 250: 250 - 400 * 0.005 / 0.00999 realized.
    expect(btc.amount).toBe(7_990_000_000_000_000n);
    expect(pnl.report.realizedUsd.toDecimalString(6)).toBe('49.7998');
    // USDT is money, not a position.
    expect(pnl.report.positions.some((position) => position.token === 'USDT')).toBe(false);
    expect(logs.join('')).not.toContain(BINANCE.secret);
    expect(logs.join('')).not.toContain(BINANCE.key);
  });

  it('behavior: a Coinbase Exchange account syncs its fills; a wrong passphrase is refused', async () => {
    coinbase.balances = { BTC: '0.0100000000000000', USD: '580.0000000000000000' };
    const wrong = addExchangeAccount(deps, { exchange: 'coinbase', label: 'cb', key: COINBASE.key, secret: COINBASE.secret, passphrase: 'not-it' });
    await expect(wrong).rejects.toThrow('Coinbase refused this key; check the key, the secret and the passphrase, and that it may read the account.');
    await expect(addExchangeAccount(deps, { exchange: 'coinbase', label: 'cb', key: COINBASE.key, secret: COINBASE.secret })).rejects.toThrow(/--passphrase/);
    await addExchangeAccount(deps, { exchange: 'coinbase', label: 'cb', key: COINBASE.key, secret: COINBASE.secret, passphrase: COINBASE.passphrase });
    const later = new Date(Date.now() + 60_000).toISOString();
    const fill = { order_id: 'd50ec984-77a8-460a-b958-66f114b0de9b', user_id: '5cf6e115aaf44503db300f1e', profile_id: '8058d771', liquidity: 'T', settled: true, market_type: 'spot', funding_currency: 'USD' } as const;
    coinbase.fills.push(
      { ...fill, created_at: later, trade_id: 74, product_id: 'BTC-USD', price: '42000.00', size: '0.02', fee: '2.52', side: 'buy', usd_volume: '840.00' },
      { ...fill, created_at: later, trade_id: 75, product_id: 'BTC-USD', price: '43000.00', size: '0.01', fee: '1.29', side: 'sell', usd_volume: '430.00' },
    );
    const deposited = new Date(Date.now() + 90_000).toISOString().replace('T', ' ').replace('Z', '000+00');
    coinbase.transfers.push({
      id: '19ac524d-8827-4246-a1b2-18dc5ca9472c',
      type: 'deposit',
      created_at: deposited,
      completed_at: deposited,
      canceled_at: null,
      processed_at: deposited,
      account_id: '71452118-efc7-4cc4-8780-a5e22d4baa50',
      user_id: '5cf6e115aaf44503db300f1e',
      user_nonce: null,
      amount: '0.01000000',
      details: { crypto_address: '3KdT6h8wEjmSxP6zZ1ySRFX3gmcDm7wu3f', destination_tag: '', crypto_transaction_hash: '5f5d0f0a2fba0b3d9d47ad67bb6e1c1c86a7c1e7dd8e2e3f4a5b6c7d8e9f0a1b' },
      currency: 'BTC',
    });
    const job = createExchangeSyncJob({ db: database.db, logger, events: deps.events, config });
    const done = await job.runOnce(new Date(Date.now() + 5_000));
    expect(done.map((result) => [result.outcome, result.stored.map((trade) => trade.kind).sort()])).toEqual([['synced', ['buy', 'sell', 'transfer_in']]]);
    await job.runOnce(new Date(Date.now() + 3 * 60_000));
    expect(await count(trades)).toBe(3);
    const pnl = await portfolioPnl(deps, {}, new Date(Date.now() + HOUR));
    expect(pnl.report.realizedUsd.toDecimalString(6)).toBe('10');
    const stored = JSON.stringify(await database.db.execute(sql`select * from exchange_accounts`));
    for (const plain of [COINBASE.key, COINBASE.secret, COINBASE.passphrase]) expect(stored).not.toContain(plain);
  });

  it('behavior: amounts a double cannot hold flow exactly from Binance and Coinbase answers into balances and stored trades', async () => {
    const start = Date.now();
    // 123456789.123456789 reads back from a double as 123456789.12345679; 0.123456789012345678 as 0.12345678901234568.
    const big = '123456789.123456789';
    const tiny = '0.123456789012345678';
    expect(String(Number(big))).not.toBe(big);
    expect(String(Number(tiny))).not.toBe(tiny);
    binance.balances.push({ asset: 'BTC', free: big, locked: '0.000000000000000001' }, { asset: 'USDT', free: tiny, locked: '0.00000000' }, { asset: 'ETH', free: '0.00000000', locked: '0.00000000' });
    await addBinance();
    const client = createExchangeClient('binance', { ...BINANCE, passphrase: null }, binance.url);
    expect(Object.fromEntries(await client.balances())).toEqual({ BTC: '123456789.123456789000000001', USDT: tiny });
    binance.trades.push(binanceTrade(31, 'BTCUSDT', 'buy', big, '2.5', start + 1_000, [tiny, 'BNB']));
    binance.deposits.push({ id: '769800519366885390', amount: tiny, coin: 'BTC', network: 'BTC', status: 1, address: 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh', addressTag: '', txId: 'ab', insertTime: start + 2_000, completeTime: start + 3_000, transferType: 0, confirmTimes: '2/2', unlockConfirm: 0, walletType: 0 });
    const applied = new Date(start + 4_000).toISOString().replace('T', ' ').slice(0, 19);
    binance.withdrawals.push({ id: 'b6ae22b3aa844210a7041aee75896290', amount: big, transactionFee: tiny, coin: 'USDT', status: 6, address: '0x94df8b352de7f46f64b01d3666bf6e936e44ce60', txId: '0xb5', applyTime: applied, network: 'ETH', transferType: 0, info: '', confirmNo: 3, walletType: 0, txKey: '', completeTime: applied });
    const job = createExchangeSyncJob({ db: database.db, logger, events: deps.events, config });
    expect((await job.runOnce(new Date(start + 10_000))).map((result) => result.outcome)).toEqual(['synced']);
    const e18 = 10n ** 18n;
    const stored = async (hash: string) => (await database.db.select().from(trades).where(sql`${trades.txHash} = ${hash}`))[0]!;
    expect(await stored('BTC/USDT#31')).toMatchObject({ baseAmount: 123_456_789n * e18 + 123_456_789_000_000_000n, quoteAmount: 308_641_972n * e18 + 808_641_972_500_000_000n });
    expect(await stored('BTC/USDT#31#fee')).toMatchObject({ baseAsset: 'BNB', baseAmount: 123_456_789_012_345_678n });
    expect(await stored('deposit#769800519366885390')).toMatchObject({ baseAsset: 'BTC', baseAmount: 123_456_789_012_345_678n });
    expect(await stored('withdrawal#b6ae22b3aa844210a7041aee75896290')).toMatchObject({ baseAsset: 'USDT', baseAmount: 123_456_789n * e18 + 123_456_789_000_000_000n });

    // Coinbase Exchange: a fill's size, price and fee, and an account's balance.
    coinbase.balances = { BTC: tiny, USD: '123456789.1234567890000000' };
    const coinbaseClient = createExchangeClient('coinbase', COINBASE, coinbase.url);
    expect(Object.fromEntries(await coinbaseClient.balances())).toEqual({ BTC: tiny, USD: big });
    await addExchangeAccount(deps, { exchange: 'coinbase', label: 'cb', key: COINBASE.key, secret: COINBASE.secret, passphrase: COINBASE.passphrase });
    const later = new Date(start + 60_000).toISOString();
    coinbase.fills.push({ order_id: 'd50ec984-77a8-460a-b958-66f114b0de9c', user_id: '5cf6e115aaf44503db300f1e', profile_id: '8058d771', liquidity: 'T', settled: true, market_type: 'spot', funding_currency: 'USD', created_at: later, trade_id: 91, product_id: 'BTC-USD', price: '2.5', size: tiny, fee: '0.000000000000000003', side: 'buy', usd_volume: '0.31' });
    await job.runOnce(new Date(start + 5 * 60_000));
    // 0.123456789012345678 * 2.5 = 0.308641972530864195, and the fee in USD taken from it.
    expect(await stored('BTC/USD#91')).toMatchObject({ chain: 'coinbase', baseAmount: 123_456_789_012_345_678n, quoteAmount: 308_641_972_530_864_195n });
  });

  it('error: the command line refuses exchange add without LOOKOUT_SECRET_KEY, before asking the exchange', async () => {
    const bare = loadConfig({ BINANCE_API_URL: binance.url }, mkdtempSync(path.join(tmpdir(), 'lookout-exchange-')));
    const out: string[] = [];
    const err: string[] = [];
    const code = await executeCommand(
      ['exchange', 'add', 'binance', '--label', 'main', '--key', BINANCE.key, '--secret', BINANCE.secret],
      { db: database.db, config: bare, events: createEventBus(), actor: 'cli:test', prices: async () => null, pricesOf: async () => new Map(), charts: undefined as never } as never,
      { out: (text) => out.push(text), err: (text) => err.push(text) },
    );
    expect(code).toBe(1);
    expect(err.join('')).toBe(`${MISSING_SECRET_KEY}\n`);
    expect(MISSING_SECRET_KEY).toContain('openssl rand -base64 32');
    expect(binance.calls).toEqual([]);
    expect(await count(exchangeAccounts)).toBe(0);
  });

  it('error: /exchange add is refused in a group chat; list works there and never shows the key', async () => {
    const ctx = { ...deps, charts: undefined as never } as CommandContext;
    const group = { destination: 'telegram:-1001', name: 'this chat', private: false };
    const refused = await runChatCommand(ctx, 'exchange', `add binance main ${BINANCE.key} ${BINANCE.secret}`, group).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LookoutError);
    expect((refused as Error).message).toBe(EXCHANGE_PRIVATE_ONLY);
    expect(binance.calls).toEqual([]);
    // A key pasted in the wrong place is never echoed.
    for (const text of [`add ${BINANCE.key} ${BINANCE.secret}`, `add binance ${BINANCE.key} ${BINANCE.secret}`]) {
      const misplaced = await runChatCommand(ctx, 'exchange', text, { ...group, private: true }).catch((error: unknown) => error);
      expect(misplaced).toBeInstanceOf(UserInputError);
      expect((misplaced as Error).message).not.toContain(BINANCE.key.slice(0, 8));
    }
    const added = await runChatCommand(ctx, 'exchange', `add binance main ${BINANCE.key} ${BINANCE.secret}`, { ...group, private: true });
    expect(JSON.stringify(added)).not.toContain(BINANCE.key);
    const listed = await runChatCommand(ctx, 'exchange', 'list', group);
    expect(JSON.stringify(listed)).toContain(`…${BINANCE.key.slice(-4)}`);
    expect(JSON.stringify(listed)).not.toContain(BINANCE.key);
    const removed = await runChatCommand(ctx, 'exchange', 'remove main', group);
    expect(removed.title).toBe('Exchange account removed');
    expect(await count(exchangeAccounts)).toBe(0);
  });
});

describe('exchange accounts through the real grammY client', () => {
  let binance: BinanceServer;
  let lookout: Awaited<ReturnType<typeof startTelegramLookout>>;
  const GROUP = { id: -1005550077, type: 'supergroup' as const, title: 'Desk' };
  const OWNER = { id: 77, first_name: 'Ada' };
  const PRIVATE = { id: OWNER.id, type: 'private' as const };

  beforeAll(async () => {
    binance = await startBinanceServer(BINANCE);
    lookout = await startTelegramLookout({ LOOKOUT_SECRET_KEY: SECRET_KEY, BINANCE_API_URL: binance.url });
    lookout.telegram.setMember(GROUP.id, OWNER.id, 'administrator');
  }, 60_000);
  afterAll(async () => {
    await lookout?.stop();
    await binance?.close();
  });

  it('behavior: /exchange add in a group is refused and the message holding the key is deleted; in a private chat the key is taken and its message deleted too', async () => {
    const inGroup = lookout.telegram.sendText(GROUP, OWNER, `/exchange add binance main ${BINANCE.key} ${BINANCE.secret}`);
    const [refusal] = await lookout.telegram.waitForMessages(GROUP.id, 1, 15_000);
    expect(refusal!.shownText).toBe(EXCHANGE_PRIVATE_ONLY);
    const deletes = await lookout.telegram.waitForCalls('deleteMessage', 1, 15_000);
    expect(deletes[0]!.params).toMatchObject({ chat_id: GROUP.id, message_id: inGroup.message_id });
    expect(deletes[0]!.status).toBe(200);
    expect(binance.calls).toEqual([]);

    const inPrivate = lookout.telegram.sendText(PRIVATE, OWNER, `/exchange add binance main ${BINANCE.key} ${BINANCE.secret}`);
    const [added] = await lookout.telegram.waitForMessages(PRIVATE.id, 1, 15_000);
    expect(added!.shownText).toContain(`key …${BINANCE.key.slice(-4)}, stored encrypted`);
    expect(added!.shownText).not.toContain(BINANCE.key);
    const [, privateDelete] = await lookout.telegram.waitForCalls('deleteMessage', 2, 15_000);
    expect(privateDelete!.params).toMatchObject({ chat_id: PRIVATE.id, message_id: inPrivate.message_id });
    expect(privateDelete!.status).toBe(200);
    const accounts = await lookout.database.db.select().from(exchangeAccounts);
    expect(accounts.map((account) => account.workspaceId)).toEqual([`telegram:${PRIVATE.id}`]);
    expect(lookout.logs.join('')).not.toContain(BINANCE.secret);
  });
});

describe('exchange accounts through the real discord.js client', () => {
  const GUILD = '910000000000000077';
  const CHANNEL = '910000000000000078';
  const ADMIN = { id: '810000000000000077', username: 'ada' };
  const MEMBER = { id: '810000000000000078', username: 'bo' };
  let binance: BinanceServer;
  let lookout: Awaited<ReturnType<typeof startDiscordLookout>>;

  beforeAll(async () => {
    binance = await startBinanceServer(BINANCE);
    lookout = await startDiscordLookout({ id: GUILD, channels: [{ id: CHANNEL, name: 'desk' }] }, { LOOKOUT_SECRET_KEY: SECRET_KEY, BINANCE_API_URL: binance.url });
  }, 60_000);
  afterAll(async () => {
    await lookout?.stop();
    await binance?.close();
  });

  it('behavior: /exchange add answers only the person who typed it (ephemeral), and needs Manage Server', async () => {
    const options = [
      { name: 'exchange', value: 'binance' },
      { name: 'label', value: 'main' },
      { name: 'key', value: BINANCE.key },
      { name: 'secret', value: BINANCE.secret },
    ];
    const send = (user: typeof ADMIN, permissions: string) =>
      lookout.discord.sendInteraction({ guildId: GUILD, channelId: CHANNEL, user, memberPermissions: permissions, commandName: 'exchange', subcommand: 'add', options });
    const [refused] = await (await send(MEMBER, '0')).replies(1, 15_000);
    expect(refused).toMatchObject({ kind: 'callback', ephemeral: true });
    expect(binance.calls).toEqual([]);
    const [answer] = await (await send(ADMIN, String(PermissionFlagsBits.ManageGuild))).replies(1, 15_000);
    expect(answer).toMatchObject({ kind: 'callback', ephemeral: true });
    const shown = JSON.stringify(answer!.data);
    expect(shown).toContain(`key …${BINANCE.key.slice(-4)}`);
    expect(shown).not.toContain(BINANCE.key);
    expect(await lookout.database.db.select().from(exchangeAccounts)).toHaveLength(1);
    expect(lookout.discord.channelMessages(CHANNEL)).toEqual([]);
  });
});

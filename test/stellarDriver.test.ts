import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_PRESETS, type StellarChainConfig } from '../src/config/chainPresets.js';
import { createChainStore } from '../src/db/chainStore.js';
import type { Database } from '../src/db/openDatabase.js';
import { alertOutbox, balanceChanges, trades } from '../src/db/schema.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import type { ChainDriver } from '../src/tracker/ChainDriver.js';
import { createStellarDriver } from '../src/tracker/stellar/createStellarDriver.js';
import { isStellarAccount } from '../src/tracker/stellar/stellarAddress.js';
import { createTrackerPipeline, type TrackerPipeline } from '../src/tracker/pipeline/createTrackerPipeline.js';
import { NATIVE } from '../src/tracker/walletDeltas.js';
import { startHorizonServer, type HorizonServer } from './support/stellar/startHorizonServer.js';
import { stellarAccount } from './support/stellar/stellarAccount.js';
import { createTestDatabase } from './support/testDatabase.js';

// Circle's USDC issuer on the public network; the followed wallet is the SEP-23 example account.
const USDC_ISSUER = 'GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN';
const USDC = `USDC:${USDC_ISSUER}`;
const ALICE = 'GA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVSGZ';
const BOB = stellarAccount('bob');
const MARKET_MAKER = stellarAccount('market maker');
const NEWCOMER = stellarAccount('newcomer');
const usdc = { asset_type: 'credit_alphanum4', asset_code: 'USDC', asset_issuer: USDC_ISSUER };

describe('Stellar driver on a local Horizon server', () => {
  let server: HorizonServer;
  let database: Database;
  let driver: ChainDriver;
  let pipeline: TrackerPipeline;
  const logger = pino({ level: 'silent' });
  const tradesOf = (hash: string) => database.db.select().from(trades).where(eq(trades.txHash, hash));
  const deltasOf = async (hash: string, wallet: string) =>
    Object.fromEntries(
      (await database.db.select().from(balanceChanges).where(and(eq(balanceChanges.txHash, hash), eq(balanceChanges.wallet, wallet)))).map((row) => [row.asset, row.amount]),
    );

  beforeAll(async () => {
    expect([BOB, MARKET_MAKER, NEWCOMER].every(isStellarAccount)).toBe(true);
    server = await startHorizonServer();
    database = await createTestDatabase();
    const preset = CHAIN_PRESETS.find((chain) => chain.name === 'stellar') as StellarChainConfig;
    const chain: StellarChainConfig = { ...preset, rpcUrls: [server.url] };
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    for (const [label, address] of [['alice', ALICE], ['newcomer', NEWCOMER]] as const) {
      await trackWallet(database.db, { workspaceId: 'local', address, chains: ['stellar'], label, actor: 'test' });
    }
    driver = createStellarDriver({ chain, store: createChainStore(database.db), logger });
    pipeline = createTrackerPipeline({ db: database.db, logger, events: createEventBus(), metrics: new Registry() }, [driver]);
    // Activity before Lookout follows the chain is history, not news.
    server.closeLedger([{ source: BOB, operations: [{ type: 'payment', ...{ asset_type: 'native' }, from: BOB, to: ALICE, amount: '1.0000000' }] }]);
    await pipeline.syncOnce('stellar');
  });

  afterAll(async () => {
    await pipeline?.stop();
    await database?.close();
    await server?.stop();
  });

  it('behavior: a payment in is a transfer_in of exact stroops, with an alert; a payment out carries its fee', async () => {
    const { txs } = server.closeLedger([
      { source: BOB, operations: [{ type: 'payment', asset_type: 'native', from: BOB, to: ALICE, amount: '12.3456789' }] },
      { source: ALICE, feeCharged: 100, operations: [{ type: 'payment', ...usdc, from: ALICE, to: BOB, amount: '25.5000000' }] },
    ]);
    const summary = await pipeline.syncOnce('stellar');
    expect(summary.stored).toHaveLength(2);
    const [paymentIn] = await tradesOf(txs[0]!.hash);
    expect(paymentIn).toMatchObject({ chain: 'stellar', wallet: ALICE, kind: 'transfer_in', baseAsset: NATIVE, baseAmount: 123_456_789n, fee: 0n, counterparty: BOB });
    expect(await database.db.$count(alertOutbox, eq(alertOutbox.tradeId, paymentIn!.id))).toBe(1);
    const [paymentOut] = await tradesOf(txs[1]!.hash);
    expect(paymentOut).toMatchObject({ kind: 'transfer_out', baseAsset: USDC, baseAmount: 255_000_000n, fee: 100n, usdValue: '25.5' });
  });

  it('behavior: a path payment is one trade with its exact legs, its DEX hops not counted twice', async () => {
    const { txs } = server.closeLedger([
      {
        source: ALICE,
        operations: [{ type: 'path_payment_strict_send', ...usdc, from: ALICE, to: ALICE, amount: '11.5000000', source_amount: '100.0000000', source_asset_type: 'native', destination_min: '11.0000000', path: [] }],
        // The hop through the order book, listed among Alice's trades too.
        trades: [{ operation: 0, base_account: MARKET_MAKER, base_amount: '11.5000000', base_asset_type: 'credit_alphanum4', base_asset_code: 'USDC', base_asset_issuer: USDC_ISSUER, counter_account: ALICE, counter_amount: '100.0000000', counter_asset_type: 'native', base_is_seller: true }],
      },
    ]);
    await pipeline.syncOnce('stellar');
    const [trade] = await tradesOf(txs[0]!.hash);
    expect(trade).toMatchObject({ kind: 'sell', baseAsset: NATIVE, baseAmount: 1_000_000_000n, quoteAsset: USDC, quoteAmount: 115_000_000n, venue: 'stellar-dex', usdValue: '11.5' });
    expect(await deltasOf(txs[0]!.hash, ALICE)).toEqual({ [NATIVE]: -1_000_000_000n, [USDC]: 115_000_000n });
  });

  it('behavior: a DEX trade that crossed an offer of the wallet is a sell, found through its operation\'s transaction', async () => {
    const { txs } = server.closeLedger([
      {
        source: MARKET_MAKER,
        operations: [{ type: 'manage_sell_offer', ...usdc, amount: '30.0000000', price: '0.1100000', offer_id: '0', selling_asset_type: 'credit_alphanum4' }],
        // The market maker's offer crosses Alice's standing offer: base is XLM, Alice is the counter account.
        trades: [{ operation: 0, base_account: MARKET_MAKER, base_amount: '300.0000000', base_asset_type: 'native', counter_account: ALICE, counter_amount: '33.0000000', counter_asset_type: 'credit_alphanum4', counter_asset_code: 'USDC', counter_asset_issuer: USDC_ISSUER, base_is_seller: false }],
      },
    ]);
    await pipeline.syncOnce('stellar');
    const [trade] = await tradesOf(txs[0]!.hash);
    // base_is_seller false: the market maker bought 300 XLM; Alice, the counter, sold them for 33 USDC.
    expect(trade).toMatchObject({ wallet: ALICE, kind: 'sell', baseAsset: NATIVE, baseAmount: 3_000_000_000n, quoteAsset: USDC, quoteAmount: 330_000_000n, fee: 0n, venue: 'stellar-dex' });
    expect(server.requests.some((path) => path.startsWith(`/operations/${txs[0]!.operationIds[0]}`))).toBe(true);
  });

  it('behavior: an account created and an account merged into the wallet are XLM transfers in', async () => {
    const { txs } = server.closeLedger([
      { source: BOB, operations: [{ type: 'create_account', starting_balance: '5.0000000', funder: BOB, account: NEWCOMER }] },
      { source: MARKET_MAKER, operations: [{ type: 'account_merge', account: MARKET_MAKER, into: ALICE, merged_amount: '2.0000100' }] },
    ]);
    await pipeline.syncOnce('stellar');
    expect((await tradesOf(txs[0]!.hash))[0]).toMatchObject({ wallet: NEWCOMER, kind: 'transfer_in', baseAmount: 50_000_000n, counterparty: BOB });
    expect((await tradesOf(txs[1]!.hash))[0]).toMatchObject({ wallet: ALICE, kind: 'transfer_in', baseAmount: 20_000_100n });
  });

  it('behavior: nothing new, nothing stored; the cursor follows the latest ledger', async () => {
    const before = await database.db.$count(trades);
    server.closeLedger([{ source: BOB, operations: [{ type: 'payment', asset_type: 'native', from: BOB, to: MARKET_MAKER, amount: '1.0000000' }] }]);
    const summary = await pipeline.syncOnce('stellar');
    expect(summary.stored).toHaveLength(0);
    expect(await database.db.$count(trades)).toBe(before);
  });

  it('behavior: holdings are the account\'s balances in exact stroops; an account that does not exist holds nothing', async () => {
    server.setBalances(ALICE, [
      { balance: '1234.5678901', limit: '922337203685.4775807', buying_liabilities: '0.0000000', selling_liabilities: '0.0000000', last_modified_ledger: 54000003, is_authorized: true, ...usdc },
      { balance: '0.0000000', liquidity_pool_id: 'abcdef', asset_type: 'liquidity_pool_shares', limit: '10.0000000' },
      { balance: '9876.0000001', buying_liabilities: '0.0000000', selling_liabilities: '0.0000000', asset_type: 'native' },
    ]);
    expect(await driver.readHoldings(ALICE, [])).toEqual(new Map([[USDC, 12_345_678_901n], [NATIVE, 98_760_000_001n]]));
    expect(await driver.readHoldings(BOB, [])).toEqual(new Map());
    expect(await driver.readTokenMetadata([USDC])).toEqual([{ address: USDC, symbol: 'USDC', name: null, decimals: 7 }]);
  });

  it('behavior: explain shows a transaction by hash for its source account', async () => {
    const { txs } = server.closeLedger([{ source: BOB, operations: [{ type: 'payment', asset_type: 'native', from: BOB, to: ALICE, amount: '3.0000000' }] }]);
    const outcome = await driver.explain(txs[0]!.hash, []);
    expect(outcome).toMatchObject({ kind: 'found', explained: { entries: [{ wallet: BOB, kind: 'transfer_out', fee: 100n, deltas: { XLM: -30_000_000n } }] } });
    expect(await driver.explain('ab'.repeat(32), [])).toEqual({ kind: 'unknown' });
  });

  it('behavior: backfill reads an account\'s history from a ledger, or since a moment, trades found only among its DEX trades included', async () => {
    // How far back a ledger closed, with a second to spare (ledgers are 5 s apart here).
    const ago = (ledger: number) => Date.now() - (Date.parse('2024-11-01T12:00:00Z') + (ledger - 54_000_000) * 5_000) + 1_000;
    const paid = server.closeLedger([{ source: BOB, operations: [{ type: 'payment', asset_type: 'native', from: BOB, to: ALICE, amount: '4.0000000' }] }]);
    // Alice's standing offer is crossed by the market maker's: the trade is listed among Alice's trades, not her operations.
    const crossed = server.closeLedger([
      {
        source: MARKET_MAKER,
        operations: [{ type: 'manage_sell_offer', ...usdc, amount: '10.0000000', price: '0.1000000', offer_id: '0', selling_asset_type: 'credit_alphanum4' }],
        trades: [{ operation: 0, base_account: MARKET_MAKER, base_amount: '100.0000000', base_asset_type: 'native', counter_account: ALICE, counter_amount: '10.0000000', counter_asset_type: 'credit_alphanum4', counter_asset_code: 'USDC', counter_asset_issuer: USDC_ISSUER, base_is_seller: false }],
      },
    ]);

    const recent = await driver.backfill!(ALICE, { sinceMs: ago(crossed.ledger) });
    expect(recent.records.map((record) => record.txHash)).toEqual([crossed.txs[0]!.hash]);
    expect(recent.records[0]!).toMatchObject({ wallet: ALICE, kind: 'sell', base: { asset: NATIVE, amount: 1_000_000_000n }, quote: { asset: USDC, amount: 100_000_000n } });
    expect(recent).toMatchObject({ fromBlock: BigInt(crossed.ledger), transactions: 1 });

    const both = await driver.backfill!(ALICE, { sinceMs: ago(paid.ledger) });
    expect(both.records.map((record) => record.txHash)).toEqual([paid.txs[0]!.hash, crossed.txs[0]!.hash]);
    expect(both.records[0]!).toMatchObject({ kind: 'transfer_in', base: { asset: NATIVE, amount: 40_000_000n }, counterparty: BOB });

    // From a ledger: everything of Alice's since, each transaction as the follower stored it.
    const whole = await driver.backfill!(ALICE, { fromBlock: 54_000_001n });
    const followed = await database.db.select().from(trades).where(eq(trades.wallet, ALICE));
    expect(whole.records.map((record) => record.txHash)).toEqual(expect.arrayContaining(followed.map((row) => row.txHash)));
    for (const row of followed) {
      const record = whole.records.find((candidate) => candidate.txHash === row.txHash)!;
      expect(record).toMatchObject({ kind: row.kind, base: { asset: row.baseAsset, amount: row.baseAmount }, fee: row.fee });
    }

    // Nothing that recent: nothing read, nothing returned.
    expect(await driver.backfill!(ALICE, { sinceMs: ago(crossed.ledger) - 60_000 })).toMatchObject({ records: [], transactions: 0 });
  });

  it('behavior: /gas reads the fees charged per operation from fee_stats, exact in XLM', async () => {
    const estimate = await driver.feeEstimate!();
    expect(estimate).toMatchObject({
      chain: 'stellar',
      unit: 'stroops/op',
      levels: { slow: '100', normal: '100', fast: '1000' },
      costs: [
        { action: 'transfer', units: '1 op', native: { slow: '0.00001', normal: '0.00001', fast: '0.0001' }, usd: null },
        { action: 'swap', units: '1 op', native: { slow: '0.00001', normal: '0.00001', fast: '0.0001' } },
      ],
    });
  });
});

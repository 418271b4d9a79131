import { and, eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_PRESETS, type BitcoinChainConfig } from '../src/config/chainPresets.js';
import { createChainStore } from '../src/db/chainStore.js';
import type { Database } from '../src/db/openDatabase.js';
import { alertOutbox, balanceChanges, trades } from '../src/db/schema.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import type { ChainDriver } from '../src/tracker/ChainDriver.js';
import { createBitcoinDriver } from '../src/tracker/bitcoin/createBitcoinDriver.js';
import { readBitcoinFeeEstimates } from '../src/tracker/bitcoin/readBitcoinFeeEstimates.js';
import { createTrackerPipeline, type TrackerPipeline } from '../src/tracker/pipeline/createTrackerPipeline.js';
import { NATIVE } from '../src/tracker/walletDeltas.js';
import { startEsploraServer, transaction, type EsploraServer } from './support/bitcoin/startEsploraServer.js';
import { createTestDatabase } from './support/testDatabase.js';

// Real mainnet addresses: a BIP-173 example (followed), the genesis coinbase address, a P2SH and a taproot one.
const ALICE = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
const SATOSHI = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const P2SH = '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy';
const TAPROOT = 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0';

describe('Bitcoin driver on a local Esplora server', () => {
  let server: EsploraServer;
  let database: Database;
  let driver: ChainDriver;
  let pipeline: TrackerPipeline;
  const logger = pino({ level: 'silent' });

  const tradesOf = (txid: string) => database.db.select().from(trades).where(eq(trades.txHash, txid));

  beforeAll(async () => {
    server = await startEsploraServer();
    database = await createTestDatabase();
    const preset = CHAIN_PRESETS.find((chain) => chain.name === 'bitcoin') as BitcoinChainConfig;
    const chain: BitcoinChainConfig = { ...preset, rpcUrls: [server.url] };
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    await trackWallet(database.db, { workspaceId: 'local', address: ALICE, chains: ['bitcoin'], label: 'alice', actor: 'test' });
    await trackWallet(database.db, { workspaceId: 'local', address: SATOSHI, chains: ['bitcoin'], label: 'satoshi', actor: 'test' });
    driver = createBitcoinDriver({ chain, store: createChainStore(database.db), logger });
    pipeline = createTrackerPipeline({ db: database.db, logger, events: createEventBus(), metrics: new Registry() }, [driver]);
    // The first pass starts at the tip; what came before is history (backfill).
    await pipeline.syncOnce('bitcoin');
  });

  afterAll(async () => {
    await pipeline?.stop();
    await database?.close();
    await server?.stop();
  });

  it('behavior: a payment in becomes a transfer_in of the exact satoshis, with an alert', async () => {
    const payment = transaction([{ address: P2SH, value: 80_000_000 }], [{ address: ALICE, value: 50_000_000 }, { address: P2SH, value: 29_985_500 }]);
    server.mine([payment]);
    const summary = await pipeline.syncOnce('bitcoin');
    expect(summary.stored).toHaveLength(1);
    const [trade] = await tradesOf(payment.txid);
    expect(trade).toMatchObject({ chain: 'bitcoin', wallet: ALICE, kind: 'transfer_in', baseAsset: NATIVE, baseAmount: 50_000_000n, fee: 0n, counterparty: P2SH });
    expect(await database.db.$count(alertOutbox, eq(alertOutbox.tradeId, trade!.id))).toBe(1);
  });

  it('behavior: a payment out counts what was sent, the change is not a transfer and the fee is the sender\'s', async () => {
    const spend = transaction([{ address: ALICE, value: 50_000_000 }], [{ address: TAPROOT, value: 20_000_000 }, { address: ALICE, value: 29_990_000 }]);
    server.mine([spend]);
    await pipeline.syncOnce('bitcoin');
    const [trade] = await tradesOf(spend.txid);
    expect(trade).toMatchObject({ wallet: ALICE, kind: 'transfer_out', baseAmount: 20_000_000n, fee: 10_000n, counterparty: TAPROOT });
    const changes = await database.db.select().from(balanceChanges).where(eq(balanceChanges.txHash, spend.txid));
    expect(changes.map((row) => [row.wallet, row.asset, row.amount])).toEqual([[ALICE, NATIVE, -20_000_000n]]);
  });

  it('behavior: two followed wallets in one transaction get a record each, and history past 25 transactions is paged', async () => {
    const between = transaction([{ address: ALICE, value: 1_000_000 }], [{ address: SATOSHI, value: 990_000 }]);
    const many = Array.from({ length: 30 }, (_, i) => transaction([{ address: P2SH, value: 100_000 + i }], [{ address: SATOSHI, value: 90_000 + i }]));
    server.mine([between, ...many]);
    await pipeline.syncOnce('bitcoin');
    expect(await tradesOf(between.txid)).toHaveLength(2);
    const satoshi = await database.db.select().from(trades).where(and(eq(trades.wallet, SATOSHI), isNull(trades.revertedAt)));
    expect(satoshi).toHaveLength(31);
    expect(satoshi.find((row) => row.txHash === many[29]!.txid)).toMatchObject({ kind: 'transfer_in', baseAmount: 90_029n });
    expect(server.requests.filter((path) => path.startsWith(`/address/${SATOSHI}/txs/chain/`)).length).toBeGreaterThan(0);
  });

  it('behavior: a reorg that replaces a block undoes its trade and queues a correction for the delivered alert', async () => {
    const orphaned = transaction([{ address: P2SH, value: 7_000_000 }], [{ address: ALICE, value: 6_990_000 }]);
    const height = server.tipHeight() + 1;
    server.mine([orphaned]);
    await pipeline.syncOnce('bitcoin');
    const [trade] = await tradesOf(orphaned.txid);
    expect(trade).toBeDefined();
    await database.db.update(alertOutbox).set({ state: 'sent', deliveredAt: new Date() }).where(eq(alertOutbox.tradeId, trade!.id));

    server.dropFrom(height);
    const replacement = transaction([{ address: P2SH, value: 3_000_000 }], [{ address: ALICE, value: 2_995_000 }]);
    server.mine([replacement]);
    server.mine([]);
    const summary = await pipeline.syncOnce('bitcoin');
    expect(summary.reorgs).toBe(1);
    const [undone] = await database.db.select().from(trades).where(eq(trades.id, trade!.id));
    expect(undone!.revertedAt).not.toBeNull();
    const corrections = await database.db.select().from(alertOutbox).where(and(eq(alertOutbox.tradeId, trade!.id), eq(alertOutbox.kind, 'correction')));
    expect(corrections).toHaveLength(1);
    expect((await tradesOf(replacement.txid))[0]).toMatchObject({ kind: 'transfer_in', baseAmount: 2_995_000n, revertedAt: null });
  });

  it('behavior: an API that fails delays the chain without losing a block', async () => {
    const late = transaction([{ address: P2SH, value: 4_000_000 }], [{ address: ALICE, value: 3_999_000 }]);
    server.mine([late]);
    server.failing = true;
    await expect(pipeline.syncOnce('bitcoin')).rejects.toThrow(/Esplora API did not answer/);
    server.failing = false;
    await pipeline.syncOnce('bitcoin');
    expect(await tradesOf(late.txid)).toHaveLength(1);
  });

  it('behavior: holdings are the confirmed funded minus spent satoshis', async () => {
    const held = await driver.readHoldings(ALICE, []);
    // 0.5 in, 0.5 spent with 0.2999 back, 0.01 spent, 0.02995 and 0.03999 in (the orphaned 0.0699 left the chain).
    expect(held.get(NATIVE)).toBe(50_000_000n - 50_000_000n + 29_990_000n - 1_000_000n + 2_995_000n + 3_999_000n);
    expect((await driver.readHoldings(TAPROOT, [])).get(NATIVE)).toBe(20_000_000n);
  });

  it('behavior: explain shows a txid for its sender, and backfill reads an address history', async () => {
    const [first] = await database.db.select().from(trades).where(and(eq(trades.wallet, ALICE), eq(trades.kind, 'transfer_out')));
    const outcome = await driver.explain(first!.txHash, []);
    expect(outcome).toMatchObject({ kind: 'found', explained: { entries: [{ wallet: ALICE, kind: 'transfer_out', fee: 10_000n, deltas: { BTC: -20_000_000n } }] } });
    expect(await driver.explain('00'.repeat(32), [])).toEqual({ kind: 'unknown' });
    const history = await driver.backfill!(TAPROOT, { fromBlock: 0n });
    expect(history.records.map((record) => [record.kind, record.base?.amount])).toEqual([['transfer_in', 20_000_000n]]);
  });

  it('behavior: fee estimates are sat/vB per confirmation target, fastest first', async () => {
    const estimates = await readBitcoinFeeEstimates([server.url]);
    expect(estimates[0]).toEqual({ targetBlocks: 1, satPerVbyte: 87.882 });
    expect(estimates.map((estimate) => estimate.targetBlocks)).toEqual([1, 2, 3, 6, 144, 504, 1008]);
    // What /gas shows: the next block, about an hour, about a day, and a 141 vB transfer rounded up to whole satoshis.
    const gas = await driver.feeEstimate!();
    expect(gas).toMatchObject({ unit: 'sat/vB', levels: { fast: '87.882', normal: '68.285', slow: '1.027' }, baseFee: null });
    // 87.882 × 141 = 12,391.362 → 12,392 sat; 68.285 × 141 = 9,628.185 → 9,629; 1.027 × 141 = 144.807 → 145.
    expect(gas.costs).toEqual([{ action: 'transfer', units: '141 vB', native: { fast: '0.00012392', normal: '0.00009629', slow: '0.00000145' }, usd: null }]);
  });
});

import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSink } from '../src/bot/console/createConsoleSink.js';
import { createOutboxWorker } from '../src/bot/delivery/createOutboxWorker.js';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createTestDatabase } from './support/testDatabase.js';
import { decideSignal } from '../src/tracker/multiWalletSignal.js';
import { routeAlert } from '../src/tracker/routeAlert.js';
import type { Database } from '../src/db/openDatabase.js';
import { retractTrades, revertChain } from '../src/db/revertChain.js';
import { alertOutbox, alertRoutes, groupMembers, groups, trades, walletSignals, wallets, workspaces } from '../src/db/schema.js';
import { loadSignals, type SignalPayload } from '../src/db/signalQueries.js';
import { storeChainRecords, type ChainRecordInput } from '../src/db/storeChainRecords.js';

const CHAIN = 'signalchain';
const T0 = Date.parse('2026-01-01T00:00:00Z');

function buy(wallet: string, block: bigint, minutes: number, usd: string | null = '10'): ChainRecordInput {
  return {
    chain: CHAIN,
    blockNumber: block,
    blockHash: `0xb${block}`,
    blockTime: new Date(T0 + minutes * 60_000),
    txHash: `0x${wallet}${block}`,
    txIndex: 0,
    wallet,
    kind: 'buy',
    failed: false,
    fee: 1n,
    deltas: new Map([
      ['native', -5n],
      ['0xtoken', 100n],
    ]),
    base: { asset: '0xtoken', amount: 100n },
    quote: { asset: 'native', amount: 5n },
    venue: null,
    counterparty: null,
    usdValue: usd,
    priceUsd: null,
    isSpam: false,
    transfers: [],
  };
}

describe('multi-wallet signals in storage', () => {
  let database: Database;
  const store = (records: ChainRecordInput[], top: bigint) =>
    storeChainRecords(database.db, {
      chain: CHAIN,
      records,
      blocks: records.map((record) => ({ number: record.blockNumber, hash: record.blockHash, parentHash: `0xb${record.blockNumber - 1n}`, timestamp: record.blockTime })),
      cursor: { number: top, hash: `0xb${top}` },
      keepBlocks: 1_000,
      route: routeAlert,
      signal: decideSignal,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    await db.insert(workspaces).values({ id: 'local', platform: 'local', externalId: 'local' });
    const ids = await db
      .insert(wallets)
      .values(['a1', 'a2', 'a3'].map((address) => ({ workspaceId: 'local', chain: CHAIN, address, label: `w${address}`, addedBy: 'test' })))
      .returning({ id: wallets.id });
    const [whales, quiet] = await db
      .insert(groups)
      .values([
        { workspaceId: 'local', name: 'whales', createdBy: 'test' },
        { workspaceId: 'local', name: 'quiet', createdBy: 'test' },
      ])
      .returning({ id: groups.id });
    for (const group of [whales!, quiet!]) await db.insert(groupMembers).values(ids.map((wallet) => ({ groupId: group.id, walletId: wallet.id })));
    await db.insert(alertRoutes).values([
      { workspaceId: 'local', destination: 'console', groupId: whales!.id, signalMinWallets: 3, signalWindowSeconds: 3_600, createdBy: 'test' },
      { workspaceId: 'local', destination: 'telegram:-5', groupId: quiet!.id, createdBy: 'test' },
    ]);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('behavior: the third wallet raises one signal row and one outbox row in the storing transaction; storing the blocks again raises nothing; a route with the signal off gets none', async () => {
    const { db } = database;
    const stored = await store([buy('a1', 10n, 0), buy('a2', 11n, 5), buy('a1', 12n, 6, null), buy('a3', 13n, 20)], 13n);
    // Each buy has its console and Telegram trade alerts; the last one also its signal.
    expect(stored.map((trade) => trade.alerts)).toEqual([2, 2, 2, 3]);
    await store([buy('a1', 10n, 0), buy('a2', 11n, 5), buy('a1', 12n, 6, null), buy('a3', 13n, 20)], 13n);
    const signals = await db.select().from(walletSignals);
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({ destination: 'console', token: '0xtoken', windowStart: new Date(T0), windowEnd: new Date(T0 + 3_600_000), triggerTradeId: stored[3]!.id });
    expect((signals[0]!.payload as SignalPayload).wallets).toEqual([
      { wallet: 'a1', tradeIds: [stored[0]!.id, stored[2]!.id], amount: '200', usd: null },
      { wallet: 'a2', tradeIds: [stored[1]!.id], amount: '100', usd: '10' },
      { wallet: 'a3', tradeIds: [stored[3]!.id], amount: '100', usd: '10' },
    ]);
    const rows = await db.select().from(alertOutbox).where(eq(alertOutbox.kind, 'signal'));
    expect(rows.map((row) => [row.destination, row.tradeId, row.signalId])).toEqual([['console', stored[3]!.id, signals[0]!.id]]);
    const [loaded] = [...(await loadSignals(db, [signals[0]!.id])).values()];
    expect(loaded).toMatchObject({ groupName: 'whales', minWallets: 3, windowSeconds: 3_600 });
    expect(loaded!.wallets.map((wallet) => [wallet.label, wallet.amount])).toEqual([
      ['wa1', 200n],
      ['wa2', 100n],
      ['wa3', 100n],
    ]);
  });

  it('behavior: a reorg that undoes the buy that raised a signal before it went out drops the signal; the buys landing again raise it again', async () => {
    const { db } = database;
    await revertChain(db, CHAIN, { number: 12n, hash: '0xb12' });
    expect(await db.select().from(walletSignals)).toEqual([]);
    expect(await db.select().from(alertOutbox).where(eq(alertOutbox.kind, 'signal'))).toEqual([]);
    const [again] = await store([{ ...buy('a3', 13n, 21), blockHash: '0xc13' }], 13n);
    expect(again!.alerts).toBe(3);
    expect(await db.select({ start: walletSignals.windowStart }).from(walletSignals)).toEqual([{ start: new Date(T0) }]);
  });

  it('behavior: a reorg that leaves a delivered signal short of its minimum withdraws it with one correction; the buy that raised it stays, reverted', async () => {
    const { db } = database;
    const [signal] = await db.select().from(walletSignals);
    await db.update(alertOutbox).set({ state: 'sent' }).where(eq(alertOutbox.signalId, signal!.id));
    const result = await revertChain(db, CHAIN, { number: 10n, hash: '0xb10' });
    expect(result.corrections).toBe(1);
    const corrections = await db.select().from(alertOutbox).where(eq(alertOutbox.kind, 'correction'));
    expect(corrections.map((row) => [row.destination, row.tradeId, row.signalId, row.payload])).toEqual([['console', signal!.triggerTradeId, signal!.id, { withdrawn: { remaining: 1 } }]]);
    const [trigger] = await db.select().from(trades).where(eq(trades.id, signal!.triggerTradeId));
    expect(trigger!.revertedAt).not.toBeNull();
    const triggerAlerts = await db.select().from(alertOutbox).where(and(eq(alertOutbox.tradeId, signal!.triggerTradeId), eq(alertOutbox.kind, 'alert')));
    expect(triggerAlerts.map((row) => row.state)).toEqual(['cancelled', 'cancelled']);
    expect(await db.select().from(trades).where(eq(trades.wallet, 'a2')), 'the other undone buy never alerted: deleted').toEqual([]);
    // Delivered, it says the signal is withdrawn, and how many wallets still stand.
    const printed: Record<string, unknown>[] = [];
    const sink = createConsoleSink({ json: true, workspaceId: 'local', write: (text) => void printed.push(JSON.parse(text) as Record<string, unknown>) });
    const config = { chains: [], followed: [] } as unknown as LookoutConfig;
    await createOutboxWorker({ db, config, logger: pino({ level: 'silent' }), events: createEventBus(), ...sink }).drain();
    expect(printed.filter((alert) => alert['type'] !== 'trade')).toEqual([
      expect.objectContaining({ type: 'signal_withdrawn', remainingWallets: 1, minWallets: 3, group: 'whales', wallets: expect.arrayContaining([expect.objectContaining({ wallet: 'a3' })]) }),
    ]);
    // Undone once: a second pass over the same blocks withdraws nothing more.
    expect((await revertChain(db, CHAIN, { number: 10n, hash: '0xb10' })).corrections).toBe(0);
    expect(await db.select().from(alertOutbox).where(eq(alertOutbox.kind, 'correction'))).toHaveLength(1);
  });

  it('behavior: a signal still queued when a buy it counted is taken back is cancelled, and one that still holds is left alone', async () => {
    const { db } = database;
    const other = (record: ChainRecordInput): ChainRecordInput => ({
      ...record,
      txHash: `${record.txHash}o`,
      deltas: new Map([
        ['native', -5n],
        ['0xother', 100n],
      ]),
      base: { asset: '0xother', amount: 100n },
    });
    const stored = await store([other(buy('a1', 20n, 100)), other(buy('a2', 21n, 101)), other(buy('a3', 22n, 102))], 22n);
    const [signal] = await db.select().from(walletSignals).where(eq(walletSignals.token, '0xother'));
    expect(signal!.triggerTradeId).toBe(stored[2]!.id);
    // As when a preconfirmed buy does not land: one trade taken back, not the blocks after it.
    const corrections = await db.transaction((tx) => retractTrades(tx, CHAIN, [{ id: stored[1]!.id, txHash: stored[1]!.txHash, wallet: 'a2' }]));
    expect(corrections).toBe(0);
    const rows = await db.select().from(alertOutbox).where(eq(alertOutbox.signalId, signal!.id));
    expect(rows.map((row) => [row.kind, row.state])).toEqual([['signal', 'cancelled']]);
    const [trigger] = await db.select().from(trades).where(eq(trades.id, stored[2]!.id));
    expect(trigger!.revertedAt, 'the buy that raised it landed').toBeNull();
  });
});

import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/testDatabase.js';
import type { SolanaChainConfig } from '../../config/chainPresets.js';
import { loadChainCursor } from '../../db/chainCursorQueries.js';
import type { Database } from '../../db/openDatabase.js';
import { alertOutbox, skippedTransactions, trades } from '../../db/schema.js';
import { trackWallet } from '../../db/walletQueries.js';
import { ensureWorkspace } from '../../db/workspaceQueries.js';
import { createEventBus, type LookoutEvent } from '../../events/eventBus.js';
import type { ChainCursor, ChainDriver, ChainEvent } from '../ChainDriver.js';
import type { TradeRecord } from '../tradeRecord.js';
import { createTrackerPipeline } from './createTrackerPipeline.js';

const logger = pino({ level: 'silent' });
const WALLET = '0xaa';

const chain = { name: 'fakechain', kind: 'solana' } as SolanaChainConfig;

function record(block: bigint, tx: string): TradeRecord {
  return {
    chain: chain.name,
    blockNumber: block,
    blockHash: `0xb${block}`,
    blockTime: new Date('2026-01-01T00:00:00Z'),
    txHash: tx,
    txIndex: 0,
    wallet: WALLET,
    kind: 'buy',
    failed: false,
    fee: 0n,
    deltas: new Map([['0xtoken', 3n]]),
    base: { asset: '0xtoken', amount: 3n },
    quote: null,
    venue: null,
    counterparty: null,
    usdValue: null,
    priceUsd: null,
    isSpam: false,
    transfers: [],
  };
}

/** A driver that yields a script of events, block by block from the cursor it is given, then waits to be stopped. */
function fakeDriver(script: (cursor: ChainCursor | null) => ChainEvent[]): ChainDriver & { cursorsSeen: (ChainCursor | null)[] } {
  const cursorsSeen: (ChainCursor | null)[] = [];
  async function* events(cursor: ChainCursor | null): AsyncGenerator<ChainEvent> {
    cursorsSeen.push(cursor);
    yield* script(cursor);
  }
  return {
    chain,
    cursorsSeen,
    syncOnce: events,
    async *follow(cursor, signal) {
      yield* events(cursor);
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    },
    readHoldings: async () => new Map(),
    readTokenMetadata: async () => [],
    nativeUsdPrice: async () => null,
    backfill: null,
    explain: async () => ({ kind: 'unknown' }),
    close: async () => {},
  };
}

describe('createTrackerPipeline with a fake driver', () => {
  let database: Database;
  const seen: LookoutEvent[] = [];
  const events = createEventBus();
  for (const type of ['trade_recorded', 'trade_reverted', 'outbox_ready'] as const) events.on(type, (event) => void seen.push(event));

  beforeAll(async () => {
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    await trackWallet(database.db, { workspaceId: 'local', address: WALLET, chains: [chain.name], label: 'fake', actor: 'test' });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('behavior: records are stored once with their cursor, alerted to the default destination, and announced once', async () => {
    const metrics = new Registry();
    const driver = fakeDriver(() => [
      { type: 'records', records: [record(5n, '0xone')], cursor: { number: 5n, hash: '0xb5' }, head: 8n },
      { type: 'records', records: [record(5n, '0xone'), record(6n, '0xtwo')], cursor: { number: 6n, hash: '0xb6' }, head: 8n },
    ]);
    const pipeline = createTrackerPipeline({ db: database.db, logger, events, metrics }, [driver]);
    const summary = await pipeline.syncOnce(chain.name);

    expect(summary.stored.map((trade) => trade.txHash)).toEqual(['0xone', '0xtwo']);
    expect(await loadChainCursor(database.db, chain.name)).toEqual({ number: 6n, hash: '0xb6' });
    expect(await database.db.select().from(trades).where(eq(trades.chain, chain.name))).toHaveLength(2);
    const outbox = await database.db.select().from(alertOutbox);
    expect(outbox.map((row) => row.destination)).toEqual(['console', 'console']);
    expect(seen.filter((event) => event.type === 'trade_recorded')).toHaveLength(2);
    expect(seen.filter((event) => event.type === 'outbox_ready')).toHaveLength(2);
    const text = await metrics.metrics();
    expect(text).toContain('lookout_trades_stored_total{chain="fakechain",kind="buy"} 2');
    expect(text).toContain('lookout_chain_head_lag_blocks{chain="fakechain"} 2');
    await pipeline.stop();
  });

  it('behavior: a reorg event undoes what was stored above the ancestor and moves the cursor back', async () => {
    seen.length = 0;
    const driver = fakeDriver(() => [{ type: 'reorg', ancestor: { number: 5n, hash: '0xb5' }, from: { number: 6n, hash: '0xb6' } }]);
    const pipeline = createTrackerPipeline({ db: database.db, logger, events, metrics: new Registry() }, [driver]);
    const summary = await pipeline.syncOnce(chain.name);

    expect(summary.reorgs).toBe(1);
    expect((await database.db.select().from(trades).where(eq(trades.chain, chain.name))).map((trade) => trade.txHash)).toEqual(['0xone']);
    expect(await loadChainCursor(database.db, chain.name)).toEqual({ number: 5n, hash: '0xb5' });
    expect(seen).toMatchObject([{ type: 'trade_reverted', txHash: '0xtwo' }]);
    await pipeline.stop();
  });

  it('error: an undecodable transaction is kept as skipped and counted, and the chain goes on past it', async () => {
    const metrics = new Registry();
    const driver = fakeDriver(() => [
      {
        type: 'records',
        records: [record(7n, '0xthree')],
        skipped: [{ txHash: '0xbroken', blockNumber: 7n, reason: 'The receipt status is garbage.' }],
        cursor: { number: 7n, hash: '0xb7' },
      },
    ]);
    const pipeline = createTrackerPipeline({ db: database.db, logger, events, metrics }, [driver]);
    const summary = await pipeline.syncOnce(chain.name);

    expect(summary).toMatchObject({ skipped: 1, cursor: { number: 7n } });
    expect(await database.db.select().from(skippedTransactions)).toMatchObject([
      { chain: chain.name, txHash: '0xbroken', blockNumber: 7n, reason: 'The receipt status is garbage.' },
    ]);
    expect(await loadChainCursor(database.db, chain.name)).toEqual({ number: 7n, hash: '0xb7' });
    expect(await metrics.metrics()).toContain('lookout_decode_skipped_total{chain="fakechain"} 1');
    await pipeline.stop();
  });

  it('behavior: start follows from the stored cursor, and stop ends the follow', async () => {
    const driver = fakeDriver((cursor) => [
      { type: 'records', records: [record(cursor!.number + 1n, '0xfour')], cursor: { number: cursor!.number + 1n, hash: '0xb8' } },
    ]);
    const pipeline = createTrackerPipeline({ db: database.db, logger, events, metrics: new Registry() }, [driver]);
    pipeline.start();
    const deadline = Date.now() + 5_000;
    while ((await loadChainCursor(database.db, chain.name))?.number !== 8n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await pipeline.stop();
    expect(driver.cursorsSeen).toEqual([{ number: 7n, hash: '0xb7' }]);
    expect((await database.db.select().from(trades).where(eq(trades.txHash, '0xfour'))).map((trade) => trade.blockNumber)).toEqual([8n]);
  });
});

import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/testDatabase.js';
import type { RoutableTrade } from './alertRouting.js';
import type { Database } from './openDatabase.js';
import { revertChain } from './revertChain.js';
import { alertOutbox, balanceChanges, chainCursors, recentBlocks, trades, workspaces } from './schema.js';
import { storeChainRecords, type ChainRecordInput } from './storeChainRecords.js';

const CHAIN = 'testchain';

function record(block: bigint, tx: string): ChainRecordInput {
  return {
    chain: CHAIN,
    blockNumber: block,
    blockHash: `0xb${block}`,
    blockTime: new Date('2026-01-01T00:00:00Z'),
    txHash: tx,
    txIndex: 0,
    wallet: '0xaa',
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
    usdValue: '10',
    priceUsd: null,
    isSpam: false,
    transfers: [],
  };
}

// Every trade goes to the console of one workspace: routing itself is routeAlert's test.
const toConsole = (trade: RoutableTrade) => [{ tradeId: trade.id, workspaceId: 'local', destination: 'console' }];

describe('revertChain on a test database', () => {
  let database: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.insert(workspaces).values({ id: 'local', platform: 'local', externalId: 'local' });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('behavior: removes trades after the ancestor, drops their undelivered alerts, corrects delivered ones, and moves the cursor back', async () => {
    const { db } = database;
    const blocks = [10n, 11n, 12n, 13n].map((number) => ({ number, hash: `0xb${number}`, parentHash: `0xb${number - 1n}`, timestamp: null }));
    const stored = await storeChainRecords(db, {
      chain: CHAIN,
      records: [record(10n, '0xkept'), record(12n, '0xdelivered'), record(13n, '0xpending')],
      blocks,
      cursor: { number: 13n, hash: '0xb13' },
      keepBlocks: 100,
      route: toConsole,
    });
    expect(stored.map((trade) => trade.alerts)).toEqual([1, 1, 1]);
    const [kept, delivered, pending] = stored;
    await db.update(alertOutbox).set({ state: 'sent' }).where(eq(alertOutbox.tradeId, delivered!.id));

    const result = await revertChain(db, CHAIN, { number: 11n, hash: '0xb11' });

    expect(result.revertedTrades.map((trade) => trade.txHash).sort()).toEqual(['0xdelivered', '0xpending']);
    expect(result.corrections).toBe(1);
    const left = await db.select().from(trades).where(eq(trades.chain, CHAIN));
    // The delivered trade stays, marked reverted, so its correction can name it; the undelivered one is gone.
    expect(left.map((trade) => [trade.txHash, trade.revertedAt !== null]).sort()).toEqual([
      ['0xdelivered', true],
      ['0xkept', false],
    ]);
    expect(await db.select().from(alertOutbox).where(eq(alertOutbox.tradeId, pending!.id))).toEqual([]);
    const [correction] = await db.select().from(alertOutbox).where(and(eq(alertOutbox.tradeId, delivered!.id), eq(alertOutbox.kind, 'correction')));
    expect(correction).toMatchObject({ destination: 'console', state: 'pending', payload: { retracted: expect.arrayContaining([{ asset: '0xtoken', amount: '100' }]) } });
    expect(await db.select().from(alertOutbox).where(eq(alertOutbox.tradeId, kept!.id))).toHaveLength(1);

    const changes = await db.select().from(balanceChanges).where(eq(balanceChanges.chain, CHAIN));
    expect(new Set(changes.map((change) => change.txHash))).toEqual(new Set(['0xkept']));
    expect((await db.select().from(recentBlocks).where(eq(recentBlocks.chain, CHAIN))).map((block) => block.blockNumber).sort()).toEqual([10n, 11n]);
    expect(await db.select().from(chainCursors).where(eq(chainCursors.chain, CHAIN))).toMatchObject([{ blockNumber: 11n, blockHash: '0xb11' }]);
  });

  it('behavior: undoing again from the same ancestor changes nothing more', async () => {
    const again = await revertChain(database.db, CHAIN, { number: 11n, hash: '0xb11' });
    expect(again).toEqual({ revertedTrades: [], corrections: 0 });
  });
});

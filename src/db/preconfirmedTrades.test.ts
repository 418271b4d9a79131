import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/testDatabase.js';
import type { RoutableTrade } from './alertRouting.js';
import type { Database } from './openDatabase.js';
import { revertChain } from './revertChain.js';
import { alertOutbox, balanceChanges, trades, transfers, workspaces } from './schema.js';
import { storeChainRecords, type ChainRecordInput, type SettledPreconfirmations } from './storeChainRecords.js';

const CHAIN = 'flashchain';
const PENDING_HASH = `0x${'0'.repeat(64)}`;

/** A buy of 100 tokens for 5 wei by `0xaa` in `tx`, at `block` (its hash `0xb<block>`, or the pending one). */
function record(block: bigint, tx: string, options: { pending?: boolean; got?: bigint } = {}): ChainRecordInput {
  const got = options.got ?? 100n;
  return {
    chain: CHAIN,
    blockNumber: block,
    blockHash: options.pending ? PENDING_HASH : `0xb${block}`,
    blockTime: new Date('2026-01-01T00:00:00Z'),
    txHash: tx,
    txIndex: 0,
    wallet: '0xaa',
    kind: 'buy',
    failed: false,
    fee: 1n,
    deltas: new Map([
      ['native', -5n],
      ['0xtoken', got],
    ]),
    base: { asset: '0xtoken', amount: got },
    quote: { asset: 'native', amount: 5n },
    venue: null,
    counterparty: null,
    usdValue: '10',
    priceUsd: null,
    isSpam: false,
    transfers: [{ position: 0, asset: '0xtoken', from: '0xpool', to: '0xaa', amount: got }],
  };
}

const toConsole = (trade: RoutableTrade) => [{ tradeId: trade.id, workspaceId: 'local', destination: 'console' }];

describe('preconfirmed trades on a test database', () => {
  let database: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.insert(workspaces).values({ id: 'local', platform: 'local', externalId: 'local' });
    await storeChainRecords(database.db, { chain: CHAIN, records: [], blocks: [], cursor: { number: 9n, hash: '0xb9' }, keepBlocks: 100, route: toConsole });
  });
  afterAll(async () => {
    await database?.close();
  });

  const preconfirm = (records: ChainRecordInput[]) =>
    storeChainRecords(database.db, { chain: CHAIN, records, blocks: [], cursor: null, keepBlocks: 0, route: toConsole, preconfirmed: true });
  const seal = async (block: bigint, records: ChainRecordInput[]) => {
    let settled: SettledPreconfirmations | undefined;
    const stored = await storeChainRecords(database.db, {
      chain: CHAIN,
      records,
      blocks: [{ number: block, hash: `0xb${block}`, parentHash: `0xb${block - 1n}`, timestamp: null }],
      cursor: { number: block, hash: `0xb${block}` },
      keepBlocks: 100,
      route: toConsole,
      onSettled: (outcome) => (settled = outcome),
    });
    return { stored, settled };
  };
  const rowsOf = (tx: string) => database.db.select().from(trades).where(and(eq(trades.chain, CHAIN), eq(trades.txHash, tx)));
  const outboxOf = (tradeId: number) => database.db.select().from(alertOutbox).where(eq(alertOutbox.tradeId, tradeId));

  it('behavior: the same transaction sealed with other deltas retracts the preconfirmed trade and alerts the sealed one', async () => {
    const [early] = await preconfirm([record(10n, '0xmoved', { pending: true, got: 100n })]);
    expect(early).toMatchObject({ alerts: 1 });
    await database.db.update(alertOutbox).set({ state: 'sent' }).where(eq(alertOutbox.tradeId, early!.id));
    // Note: a preconfirmed record storing again (a second poll, a restart) adds nothing.
    expect(await preconfirm([record(10n, '0xmoved', { pending: true, got: 100n })])).toEqual([]);

    const { stored, settled } = await seal(10n, [record(10n, '0xmoved', { got: 90n })]);

    expect(settled).toMatchObject({ confirmed: [], retracted: [{ id: early!.id, txHash: '0xmoved' }], corrections: 1 });
    expect(stored).toHaveLength(1);
    const rows = await rowsOf('0xmoved');
    expect(rows.map((row) => [row.id === early!.id, row.preconfirmed, row.revertedAt !== null, row.baseAmount]).sort()).toEqual([
      [false, false, false, 90n],
      [true, true, true, 100n],
    ]);
    expect((await outboxOf(early!.id)).map((row) => [row.kind, row.payload])).toEqual(
      expect.arrayContaining([['correction', { retracted: expect.arrayContaining([{ asset: '0xtoken', amount: '100' }]) }]]),
    );
    expect((await outboxOf(stored[0]!.id)).map((row) => [row.kind, row.state])).toEqual([['alert', 'pending']]);
    const legs = await database.db.select().from(balanceChanges).where(eq(balanceChanges.txHash, '0xmoved'));
    expect(legs.map((leg) => [leg.asset, leg.amount, leg.blockHash]).sort()).toEqual([
      ['0xtoken', 90n, '0xb10'],
      ['native', -5n, '0xb10'],
    ]);
    const moves = await database.db.select().from(transfers).where(eq(transfers.txHash, '0xmoved'));
    expect(moves.map((move) => [move.amount, move.blockHash])).toEqual([[90n, '0xb10']]);
  });

  it('behavior: the same transaction sealed with the same deltas is confirmed in place, with no second alert', async () => {
    const [early] = await preconfirm([record(11n, '0xsame', { pending: true })]);
    const { stored, settled } = await seal(11n, [record(11n, '0xsame')]);
    expect(stored).toEqual([]);
    expect(settled).toMatchObject({ confirmed: [{ id: early!.id }], retracted: [], corrections: 0 });
    const [row] = await rowsOf('0xsame');
    expect(row).toMatchObject({ id: early!.id, preconfirmed: false, blockHash: '0xb11', revertedAt: null });
    expect(await outboxOf(early!.id)).toHaveLength(1);
    const legs = await database.db.select().from(balanceChanges).where(eq(balanceChanges.txHash, '0xsame'));
    expect(legs.every((leg) => leg.blockHash === '0xb11')).toBe(true);
  });

  it('behavior: a preconfirmation of a block already sealed is left out; a reorg below a preconfirmed block retracts it', async () => {
    expect(await preconfirm([record(11n, '0xlate', { pending: true })]), 'block 11 is sealed already').toEqual([]);
    expect(await rowsOf('0xlate')).toEqual([]);
    const [ahead] = await preconfirm([record(13n, '0xahead', { pending: true })]);
    await seal(12n, []);
    expect(await rowsOf('0xahead'), 'block 13 has not sealed: still waiting').toMatchObject([{ preconfirmed: true, revertedAt: null }]);
    const undone = await revertChain(database.db, CHAIN, { number: 11n, hash: '0xb11' });
    expect(undone.revertedTrades.map((trade) => trade.id)).toContain(ahead!.id);
    expect(await rowsOf('0xahead'), 'never delivered: deleted').toEqual([]);
  });
});

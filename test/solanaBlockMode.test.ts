import { Connection } from '@solana/web3.js';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SolanaChainConfig } from '../src/config/chainPresets.js';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import type { SolanaFollowMode } from '../src/config/solanaFollowMode.js';
import type { Database } from '../src/db/openDatabase.js';
import { alertOutbox, balanceChanges, chainCursors, trades } from '../src/db/schema.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createBackfiller } from '../src/tracker/createBackfiller.js';
import { createSolanaFollower } from '../src/tracker/solana/createSolanaFollower.js';
import { createSolanaRpc } from '../src/tracker/solana/createSolanaRpc.js';
import { SolanaRpcError } from '../src/tracker/solana/solanaRpcError.js';
import { startSolanaRpcServer, type SolanaRpcServer } from './support/solana/startSolanaRpcServer.js';
import { localSolanaChain, solanaFixture, tradeFixturePayers, TRADE_FIXTURES } from './support/solana/solanaFixtures.js';
import { createTestDatabase } from './support/testDatabase.js';

const fixture = solanaFixture;
const FILES = TRADE_FIXTURES;
const payers = tradeFixturePayers();

const chainOf = (url: string, followMode: SolanaFollowMode): SolanaChainConfig => localSolanaChain(url, { followMode });

describe('Solana block mode against a local node', () => {
  let server: SolanaRpcServer;
  const databases: Database[] = [];
  const logger = pino({ level: 'silent' });

  const freshDatabase = async (): Promise<Database> => {
    const database = await createTestDatabase();
    databases.push(database);
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    let n = 0;
    for (const address of payers) {
      await trackWallet(database.db, { workspaceId: 'local', address, chains: ['localsol'], label: `w${n++}`, actor: 'test' });
    }
    return database;
  };
  const follower = (database: Database, mode: SolanaFollowMode) =>
    createSolanaFollower({
      chain: chainOf(server.url, mode),
      db: database.db,
      logger,
      events: createEventBus(),
      connection: new Connection(server.url, { commitment: 'confirmed', disableRetryOnRateLimit: true }),
      pollMs: 250,
      tokenAccountPollMs: 250,
    });
  /** Every stored trade with its deltas, as comparable text, sorted. */
  const storedTrades = async (database: Database): Promise<string[]> => {
    const rows = await database.db.select().from(trades);
    const deltas = await database.db.select().from(balanceChanges);
    return rows
      .map((row) => {
        const own = deltas
          .filter((delta) => delta.txHash === row.txHash && delta.wallet === row.wallet)
          .map((delta) => `${delta.asset}=${delta.amount.toString()}`)
          .sort();
        return `${row.txHash} ${row.wallet} ${row.kind} ${row.failed} ${row.fee.toString()} ${row.venue ?? '-'} ${own.join(',')}`;
      })
      .sort();
  };
  const cursorOf = async (database: Database) => (await database.db.select().from(chainCursors).where(eq(chainCursors.chain, 'localsol')))[0];

  beforeEach(async () => {
    server = await startSolanaRpcServer({ startSlot: 300_000_000 });
  });

  afterEach(async () => {
    await server?.stop();
    for (const database of databases.splice(0)) await database.close();
  });

  it('behavior: block mode stores the same trades as address mode, exact deltas and venues, none twice, also across a restart and skipped slots', async () => {
    const byAddresses = await freshDatabase();
    const byBlocks = await freshDatabase();
    // Both start where the chain is: nothing before it is replayed by either.
    await follower(byAddresses, 'addresses').syncOnce();
    await follower(byBlocks, 'blocks').syncOnce();
    expect((await cursorOf(byBlocks))?.blockHash).toEqual(expect.any(String));

    const half = FILES.length / 2;
    for (const name of FILES.slice(0, half)) server.publish(fixture(name));
    // Slots with no block between the trades: getBlocks leaves them out and getBlock answers -32007.
    const tip = server.slot();
    server.skipSlots([tip + 1, tip + 2, tip + 4]);
    server.advanceTo(tip + 5);
    await follower(byAddresses, 'addresses').syncOnce();
    const first = await follower(byBlocks, 'blocks').syncOnce();
    expect(first.stored.length).toBeGreaterThan(0);

    // A restart: a new follower resumes from the slot cursor; nothing is read twice, nothing is missed.
    for (const name of FILES.slice(half)) server.publish(fixture(name));
    await follower(byAddresses, 'addresses').syncOnce();
    const second = await follower(byBlocks, 'blocks').syncOnce();
    const again = await follower(byBlocks, 'blocks').syncOnce();
    expect(again.stored).toEqual([]);

    const expected = await storedTrades(byAddresses);
    expect(expected.length).toBeGreaterThanOrEqual(FILES.length);
    expect(await storedTrades(byBlocks)).toEqual(expected);
    expect(first.stored.length + second.stored.length).toBe(expected.length);
    expect((await cursorOf(byBlocks))?.blockNumber).toBe(BigInt(server.slot()));
    // Every trade of a followed payer is alerted once, in either mode.
    const alerts = await byBlocks.db.select().from(alertOutbox);
    expect(new Set(alerts.map((alert) => alert.tradeId)).size).toBe(alerts.length);
  });

  it('behavior: switching from addresses to blocks and back loses and repeats no trade', async () => {
    const database = await freshDatabase();
    const reference = await freshDatabase();
    await follower(database, 'addresses').syncOnce();
    await follower(reference, 'addresses').syncOnce();
    const names = FILES.slice(0, 6);
    server.publish(fixture(names[0]!));
    await follower(database, 'addresses').syncOnce();
    for (const name of names.slice(1, 3)) server.publish(fixture(name));
    // Addresses to blocks: block mode starts at the slot every address cursor has passed.
    await follower(database, 'blocks').syncOnce();
    for (const name of names.slice(3)) server.publish(fixture(name));
    // Blocks to addresses: each address continues from the slot block mode reached.
    await follower(database, 'addresses').syncOnce();
    await follower(database, 'addresses').syncOnce();
    await follower(reference, 'addresses').syncOnce();
    expect(await storedTrades(database)).toEqual(await storedTrades(reference));
  });

  it('behavior: lookout track --since reads a Solana wallet\'s history and stores it without alerts', async () => {
    for (const name of FILES) server.publish(fixture(name));
    const database = await freshDatabase();
    const chain = chainOf(server.url, 'auto');
    const backfill = createBackfiller({ db: database.db, config: { chains: [chain], followed: [chain] } as LookoutConfig, logger, background: false });
    const wallet = payers[0]!;
    const answer = await backfill({ address: wallet, chains: ['localsol'], range: { sinceMs: 7 * 86_400_000 } });
    const stored = await database.db.select().from(trades).where(eq(trades.wallet, wallet));
    expect(stored.length).toBeGreaterThan(0);
    expect(answer).toContain(`${stored.length} past trade`);
    expect(await database.db.select().from(alertOutbox)).toEqual([]);
    // What a range that ends before every transaction holds: nothing.
    const none = await createBackfiller({ db: database.db, config: { chains: [chain], followed: [chain] } as LookoutConfig, logger, background: false })({
      address: payers[1]!,
      chains: ['localsol'],
      range: { fromBlock: BigInt(server.slot() + 1) },
    });
    expect(none).toContain('0 past trades');
  });

  it('behavior: getBlock parses only the followed wallets\' transactions, and reads through rate limits, outages and skipped slots', async () => {
    const published = FILES.map((name) => server.publish(fixture(name), { slot: 300_000_005 }));
    const rpc = createSolanaRpc(new Connection(server.url, { commitment: 'confirmed' }), { attempts: 2 });
    const payer = payers[0]!;
    const outcome = await rpc.block(300_000_005, new Set([payer]));
    if (outcome.kind !== 'block') throw new Error(`expected a block, got ${outcome.kind}`);
    const block = outcome.block as { transactions: { transaction: { signatures: string[] } }[]; transactionCount: number; blockhash: string };
    expect(block.transactionCount).toBe(published.length);
    const payerSignatures = published.filter((entry) => entry.accountKeys.includes(payer)).map((entry) => entry.signature);
    expect(block.transactions.map((entry) => entry.transaction.signatures[0])).toEqual(payerSignatures);
    expect(payerSignatures.length).toBeLessThan(published.length);
    const meta = await rpc.block(300_000_005, new Set());
    expect(meta.kind === 'block' && meta.block).toMatchObject({ blockhash: block.blockhash, transactions: [], transactionCount: published.length });

    server.failNext(1, { httpStatus: 429 });
    expect((await rpc.block(300_000_005, new Set([payer]))).kind).toBe('block');
    server.failNext(2, { httpStatus: 503 });
    const outage = await rpc.block(300_000_005, new Set([payer])).catch((error: unknown) => error);
    expect(outage).toBeInstanceOf(SolanaRpcError);
    expect(outage).toMatchObject({ code: 503, action: 'retry' });
    server.skipSlots([server.slot() + 1]);
    server.advanceTo(server.slot() + 2);
    expect(await rpc.block(server.slot() - 1, new Set([payer]))).toEqual({ kind: 'skipped' });
  });
});

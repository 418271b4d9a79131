import { Connection } from '@solana/web3.js';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SolanaChainConfig } from '../src/config/chainPresets.js';
import type { SolanaCommitment, SolanaFollowMode } from '../src/config/solanaFollowMode.js';
import type { Database } from '../src/db/openDatabase.js';
import { alertOutbox, balanceChanges, chainCursors, trades } from '../src/db/schema.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus, type EventBus } from '../src/events/eventBus.js';
import { createSolanaFollower, type SolanaFollower } from '../src/tracker/solana/createSolanaFollower.js';
import { base58Encode } from '../src/tracker/solana/base58.js';
import { decodeSolanaTransaction } from '../src/tracker/solana/decodeSolanaTransaction.js';
import { geyserTransactionResult } from '../src/tracker/solana/geyserTransaction.js';
import { geyserTransactionInfo, startGeyserServer, type GeyserServer } from './support/solana/startGeyserServer.js';
import { startSolanaRpcServer, type SolanaRpcServer } from './support/solana/startSolanaRpcServer.js';
import { localSolanaChain, solanaFixture, tradeFixturePayers, TRADE_FIXTURES, type JsonObject } from './support/solana/solanaFixtures.js';
import { createTestDatabase } from './support/testDatabase.js';

const fixture = solanaFixture;
const FILES = TRADE_FIXTURES;
/** A failed copy of a json fixture under its own signature: only its fee moved for the payer. */
const failedCopy = (): JsonObject => {
  const result = fixture('pumpfun_buy_0.json');
  const transaction = result['transaction'] as JsonObject;
  return {
    ...result,
    transaction: { ...transaction, signatures: [base58Encode(new Uint8Array(64).fill(7))] },
    meta: { ...(result['meta'] as JsonObject), err: { InstructionError: [2, { Custom: 6001 }] } },
  };
};
const payers = tradeFixturePayers();

const chainOf = (url: string, grpcUrl: string, options: { commitment?: SolanaCommitment; followMode?: SolanaFollowMode } = {}): SolanaChainConfig =>
  localSolanaChain(url, { grpcUrl, grpcToken: 'test-x-token', ...options });

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('geyserTransactionResult', () => {
  it('behavior: a fixture streamed over Geyser decodes to the same deltas, fee, signers and venues as its getTransaction form', () => {
    for (const name of FILES) {
      const result = fixture(name);
      const direct = decodeSolanaTransaction(result);
      const streamed = decodeSolanaTransaction(geyserTransactionResult(geyserTransactionInfo(result), direct.slot, direct.blockTime));
      expect(streamed.signature, name).toBe(direct.signature);
      expect(streamed.accountKeys, name).toEqual(direct.accountKeys);
      expect(streamed.signers, name).toEqual(direct.signers);
      expect(streamed.fee, name).toBe(direct.fee);
      expect(streamed.failed, name).toBe(direct.failed);
      expect(streamed.venues, name).toEqual(direct.venues);
      expect(streamed.version, name).toBe(direct.version);
      for (const wallet of direct.wallets()) expect(streamed.walletDeltas(wallet), `${name} ${wallet}`).toEqual(direct.walletDeltas(wallet));
      expect(streamed.wallets(), name).toEqual(direct.wallets());
    }
  });

  it('behavior: a failed transaction keeps its error as RPC words it', () => {
    const result = fixture('pumpfun_buy_0.json');
    const failed = { ...result, meta: { ...(result['meta'] as JsonObject), err: { InstructionError: [2, { Custom: 6001 }] } } };
    const streamed = decodeSolanaTransaction(geyserTransactionResult(geyserTransactionInfo(failed), 1, null));
    expect(streamed.failed).toBe(true);
    expect(streamed.error).toBe('{"InstructionError":[2,{"Custom":6001}]}');
  });
});

// Note: each case opens several databases and nodes; on a loaded machine that alone takes tens of seconds.
describe('Solana over a local Yellowstone gRPC stream', { timeout: 180_000 }, () => {
  let node: SolanaRpcServer;
  let geyser: GeyserServer;
  const databases: Database[] = [];
  const followers: SolanaFollower[] = [];
  const logger = pino({ level: process.env['TEST_LOG'] ?? 'silent' });

  const freshDatabase = async (wallets: string[] = payers): Promise<Database> => {
    const database = await createTestDatabase();
    databases.push(database);
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    for (const address of wallets) {
      await trackWallet(database.db, { workspaceId: 'local', address, chains: ['localsol'], label: `w${payers.indexOf(address)}`, actor: 'test' });
    }
    return database;
  };
  const follower = (database: Database, options: { commitment?: SolanaCommitment; followMode?: SolanaFollowMode; events?: EventBus } = {}) => {
    const created = createSolanaFollower({
      chain: chainOf(node.url, geyser.url, options),
      db: database.db,
      logger,
      events: options.events ?? createEventBus(),
      connection: new Connection(node.url, { commitment: 'confirmed', disableRetryOnRateLimit: true }),
      pollMs: 250,
      tokenAccountPollMs: 250,
    });
    followers.push(created);
    return created;
  };
  /** Every stored trade with its deltas, as comparable text, sorted. */
  const storedTrades = async (database: Database): Promise<string[]> => {
    const rows = await database.db.select().from(trades);
    const deltas = await database.db.select().from(balanceChanges);
    return rows
      .filter((row) => row.revertedAt === null)
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
  /** A database that reads every block by getBlock from the tip now: `read()` gives the trades it then holds. */
  const reference = async (wallets: string[] = payers): Promise<{ read(): Promise<string[]>; alerts(): Promise<number> }> => {
    const database = await freshDatabase(wallets);
    await follower(database, { followMode: 'blocks' }).syncOnce();
    return {
      async read() {
        await follower(database, { followMode: 'blocks' }).syncOnce();
        return storedTrades(database);
      },
      alerts: async () => (await database.db.select().from(alertOutbox)).length,
    };
  };
  const streamOpen = (count: number) => waitFor(async () => geyser.subscriptions().count, (n) => n >= count && geyser.filters().length > 0, `subscription ${count}`);
  /** Each trade alerted once at most, and as many alerts as block mode queued for the same trades. */
  const expectAlertsOnce = async (database: Database, blocks?: { alerts(): Promise<number> }) => {
    const alerts = (await database.db.select().from(alertOutbox)).filter((alert) => alert.kind === 'alert');
    expect(new Set(alerts.map((alert) => alert.tradeId)).size).toBe(alerts.length);
    expect(alerts.length).toBeGreaterThan(0);
    if (blocks) expect(alerts.length).toBe(await blocks.alerts());
  };

  beforeEach(async () => {
    node = await startSolanaRpcServer({ startSlot: 300_000_000 });
    geyser = await startGeyserServer(node);
  });

  afterEach(async () => {
    for (const running of followers.splice(0)) await running.stop();
    await geyser?.stop();
    await node?.stop();
    for (const database of databases.splice(0)) await database.close();
  });

  it('behavior: stores the trades block mode stores, exact deltas, and resumes from its slot after a disconnect with no trade missed or alerted twice', async () => {
    const blocks = await reference();
    const database = await freshDatabase();
    const streamed = follower(database);
    streamed.start();
    await streamOpen(1);
    expect(geyser.lastToken()).toBe('test-x-token');
    for (const payer of payers) expect(geyser.filters()[0]).toContain(payer);

    const half = FILES.length / 2;
    for (const name of FILES.slice(0, half)) geyser.publish(fixture(name));
    geyser.publish(failedCopy());
    const tip = node.slot();
    geyser.skipSlots([tip + 1, tip + 3]);
    geyser.advanceTo(tip + 4);
    await waitFor(async () => (await cursorOf(database))?.blockNumber, (slot) => slot === BigInt(tip), 'the cursor at the first half');

    // The connection breaks; what lands meanwhile is sent again from the slot after the stored cursor.
    geyser.dropStreams();
    for (const name of FILES.slice(half)) geyser.publish(fixture(name));
    await streamOpen(2);
    const expected = await blocks.read();
    expect(expected.length).toBeGreaterThanOrEqual(FILES.length + 1);
    const failedSignature = base58Encode(new Uint8Array(64).fill(7));
    expect(expected.filter((row) => row.startsWith(`${failedSignature} `) && row.split(' ')[3] === 'true')).toHaveLength(1);
    await waitFor(() => storedTrades(database), (rows) => rows.length === expected.length, 'every trade');
    expect(await storedTrades(database)).toEqual(expected);
    const resumedFrom = BigInt(geyser.subscriptions().fromSlots[1]!);
    expect(resumedFrom).toBeGreaterThan(BigInt(tip));
    await expectAlertsOnce(database, blocks);
    await waitFor(async () => (await cursorOf(database))?.blockNumber, (slot) => slot === BigInt(node.slot()), 'the cursor at the tip');
  });

  it('behavior: a restart resumes from the stored cursor, and a cursor older than the stream keeps is caught up by getBlock', async () => {
    const blocks = await reference();
    const database = await freshDatabase();
    const first = follower(database);
    first.start();
    await streamOpen(1);
    geyser.publish(fixture(FILES[0]!));
    await waitFor(() => storedTrades(database), (rows) => rows.length > 0, 'the first trade');
    await first.stop();
    const stoppedAt = (await cursorOf(database))!.blockNumber;

    // While Lookout is down, slots land; the stream keeps only the newest ones.
    for (const name of FILES.slice(1, 5)) geyser.publish(fixture(name));
    geyser.forgetBefore(node.slot() - 1);
    for (const name of FILES.slice(5)) geyser.publish(fixture(name));

    const second = follower(database);
    second.start();
    const expected = await blocks.read();
    await waitFor(() => storedTrades(database), (rows) => rows.length === expected.length, 'every trade after the restart');
    expect(await storedTrades(database)).toEqual(expected);
    await streamOpen(3);
    const fromSlots = geyser.subscriptions().fromSlots;
    // Refused from the stored cursor, caught up by blocks, then subscribed again past what the blocks covered.
    expect(fromSlots[1]).toBe((stoppedAt + 1n).toString());
    expect(BigInt(fromSlots.at(-1)!)).toBeGreaterThan(stoppedAt + 1n);
    expect(node.requests['getBlock'] ?? 0).toBeGreaterThan(0);
    await expectAlertsOnce(database, blocks);
  });

  it('behavior: with a server that keeps no slots to replay, each subscription starts live and the gap before it is read by getBlock', async () => {
    await geyser.stop();
    geyser = await startGeyserServer(node, { replay: false });
    const blocks = await reference();
    const database = await freshDatabase();
    const first = follower(database);
    first.start();
    await streamOpen(2);
    for (const name of FILES.slice(0, 3)) geyser.publish(fixture(name));
    await waitFor(() => storedTrades(database), (rows) => rows.length > 0, 'the first trades');
    await first.stop();

    for (const name of FILES.slice(3)) geyser.publish(fixture(name));
    const second = follower(database);
    second.start();
    await streamOpen(4);
    // The stream sends nothing of the slots before it opened; the next slot shows where it starts.
    geyser.advanceTo(node.slot() + 1);
    const expected = await blocks.read();
    await waitFor(() => storedTrades(database), (rows) => rows.length === expected.length, 'every trade after the restart');
    expect(await storedTrades(database)).toEqual(expected);
    expect(geyser.subscriptions().fromSlots.filter((slot) => slot === undefined).length).toBe(2);
    await expectAlertsOnce(database, blocks);
  });

  it('behavior: a wallet followed while the stream runs is added to its filter and its trades are stored', async () => {
    const late = payers[0]!;
    const database = await freshDatabase(payers.slice(1));
    const events = createEventBus();
    const streamed = follower(database, { events });
    streamed.start();
    await streamOpen(1);
    expect(geyser.filters()[0]).not.toContain(late);

    await trackWallet(database.db, { workspaceId: 'local', address: late, chains: ['localsol'], label: 'late', actor: 'test' });
    events.emit({ type: 'wallets_changed', workspaceId: 'local', chains: ['localsol'] });
    await waitFor(async () => geyser.filters(), (filters) => filters.some((filter) => filter.includes(late)), 'the new wallet in the filter');
    const mine = FILES.filter((name) => decodeSolanaTransaction(fixture(name)).feePayer === late);
    expect(mine.length).toBeGreaterThan(0);
    for (const name of mine) geyser.publish(fixture(name));
    await waitFor(
      async () => (await database.db.select().from(trades)).filter((row) => row.wallet === late).length,
      (count) => count >= mine.length,
      'the new wallet\'s trades',
    );
    await expectAlertsOnce(database);
  });

  it('behavior: at processed commitment a trade is stored at once, and undone with a correction when its slot never confirms', async () => {
    const blocks = await reference();
    const database = await freshDatabase();
    const streamed = follower(database, { commitment: 'processed' });
    streamed.start();
    await streamOpen(1);
    geyser.publish(fixture(FILES[0]!));
    await waitFor(() => storedTrades(database), (rows) => rows.length > 0, 'the confirmed trade');
    const kept = await storedTrades(database);

    const dropped = geyser.publishUnconfirmed(fixture(FILES[1]!));
    const orphan = await waitFor(
      async () => (await database.db.select().from(trades)).filter((row) => row.txHash === dropped.signature),
      (rows) => rows.length > 0,
      'the processed trade',
    );
    // The alert went out before the slot was settled.
    for (const row of orphan) await database.db.update(alertOutbox).set({ state: 'sent' }).where(eq(alertOutbox.tradeId, row.id));

    geyser.advanceTo(dropped.slot + 3);
    await waitFor(
      async () => (await database.db.select().from(trades)).filter((row) => row.txHash === dropped.signature && row.revertedAt !== null).length,
      (count) => count === orphan.length,
      'the trade undone',
    );
    const corrections = (await database.db.select().from(alertOutbox)).filter((row) => row.kind === 'correction');
    expect(corrections.length).toBe(orphan.length);
    await waitFor(async () => (await cursorOf(database))?.blockNumber, (slot) => slot === BigInt(node.slot()), 'the cursor past the dropped slot');

    // A slot the stream reports dead is undone as well; the trades of confirmed slots stay as they were.
    const dead = geyser.publishUnconfirmed(fixture(FILES[2]!), { dead: true });
    geyser.publish(fixture(FILES[3]!));
    await waitFor(async () => (await cursorOf(database))?.blockNumber, (slot) => slot === BigInt(node.slot()), 'the cursor past the dead slot');
    const live = (await database.db.select().from(trades)).filter((row) => row.revertedAt === null);
    expect(live.some((row) => row.txHash === dead.signature || row.txHash === dropped.signature)).toBe(false);
    const expected = await blocks.read();
    expect(await storedTrades(database)).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining(kept));
  });
});

import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleSink } from '../src/bot/console/createConsoleSink.js';
import { createOutboxWorker, type OutboxWorker } from '../src/bot/delivery/createOutboxWorker.js';
import type { EvmChainConfig } from '../src/config/chainPresets.js';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import type { Database } from '../src/db/openDatabase.js';
import { balanceChanges, trades } from '../src/db/schema.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus, type EventBus } from '../src/events/eventBus.js';
import { createEvmFollower, type EvmFollower } from '../src/tracker/evm/createEvmFollower.js';
import { startAnvil, type Anvil } from './support/evm/startAnvil.js';
import { startFlashblocksNode, type FlashblocksNode } from './support/evm/startFlashblocksNode.js';
import { createTestDatabase } from './support/testDatabase.js';

const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
/** How long a block stays the one being built before it seals: the sealed path cannot alert before it. */
const SEAL_DELAY_MS = 1_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, read: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

type Delivered = { tx: string; type: string; preconfirmed: boolean; at: number; received: { amount: string }[] };

// anvil mines only when told; the Flashblocks node in front of it serves each new block as the block being built
// (`pending`) for 1.5 s before any sealed view shows it, which is how Base's preconfirmation endpoints behave.
describe('EVM preconfirmations over Flashblocks', () => {
  let anvil: Anvil;
  let node: FlashblocksNode;
  let database: Database;
  let events: EventBus;
  let chain: EvmChainConfig;
  let follower: EvmFollower | undefined;
  let outbox: OutboxWorker | undefined;
  let sender: string;
  const wallet = '0x0000000000000000000000000000000000f1a5e0';
  const PAYER = '0x00000000000000000000000000000000000f0a4d';
  const delivered: Delivered[] = [];
  const of = (tx: string, type = 'trade') => delivered.filter((entry) => entry.tx === tx && entry.type === type);

  function startOutbox(): void {
    outbox = createOutboxWorker({
      db: database.db,
      config: { chains: [chain], followed: [chain] } as LookoutConfig,
      logger,
      events,
      ...createConsoleSink({
        json: true,
        workspaceId: 'local',
        write: (text) => {
          const alert = JSON.parse(text) as { tx: string; type: string; preconfirmed?: boolean; received: { amount: string }[] };
          delivered.push({ tx: alert.tx, type: alert.type, preconfirmed: alert.preconfirmed === true, at: Date.now(), received: alert.received });
        },
      }),
    });
    outbox.start();
  }

  async function startFollower(preconfirmationMs?: number): Promise<void> {
    follower = createEvmFollower({ chain, db: database.db, logger, events, preconfirmationMs });
    follower.start();
    // Note: the first pass of a new follower stores its cursor; preconfirmations need one to be settled against.
    await waitFor('the follower at the sealed head', async () => (await storedCursor()) === node.sealed(), 10_000);
  }

  async function storedCursor(): Promise<bigint | undefined> {
    const rows = await database.db.query.chainCursors.findFirst({ where: (cursor, { eq: is }) => is(cursor.chain, chain.name) });
    return rows?.blockNumber;
  }

  async function tradeOf(tx: string) {
    return database.db.select().from(trades).where(and(eq(trades.chain, chain.name), eq(trades.txHash, tx)));
  }

  /** Sends native coin to the followed wallet and mines it into the block being built. */
  async function sendToWallet(wei: bigint): Promise<{ hash: string; number: bigint; minedAt: number }> {
    const hash = await anvil.rpc<string>('eth_sendTransaction', [{ from: sender, to: wallet, value: `0x${wei.toString(16)}` }]);
    const mined = await node.mine();
    return { hash, ...mined };
  }

  /**
   * The followed wallet sends 0.002 ETH to a contract that pays it 0.01 ETH inside the call: net 0.008 ETH in, of
   * which the receipt shows only the 0.002 out.
   */
  async function callPayer(): Promise<{ hash: string; number: bigint; minedAt: number }> {
    const hash = await anvil.rpc<string>('eth_sendTransaction', [{ from: wallet, to: PAYER, value: '0x71afd498d0000', gas: '0x30000' }]);
    const mined = await node.mine();
    return { hash, ...mined };
  }

  beforeAll(async () => {
    anvil = await startAnvil();
    await anvil.setAutomine(false);
    sender = (await anvil.rpc<string[]>('eth_accounts'))[0]!;
    // CALL(gas, caller, 0.01 ETH, 0, 0, 0, 0): pays whoever calls it, from its own balance.
    await anvil.rpc('anvil_setCode', [PAYER, '0x600060006000600067002386f26fc10000335af100']);
    await anvil.rpc('anvil_setBalance', [PAYER, '0x56bc75e2d63100000']);
    await anvil.rpc('anvil_setBalance', [wallet, '0xde0b6b3a7640000']);
    await anvil.rpc('anvil_impersonateAccount', [wallet]);
    await anvil.mine();
    node = await startFlashblocksNode(anvil, { sealDelayMs: SEAL_DELAY_MS });
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    await trackWallet(database.db, { workspaceId: 'local', address: wallet, chains: ['flashnet'], label: 'flash', actor: 'test' });
    chain = {
      name: 'flashnet',
      kind: 'evm',
      chainId: anvil.chainId,
      rpcUrls: [node.url],
      wsUrl: null,
      nativeSymbol: 'ETH',
      nativeDecimals: 18,
      wrappedNative: null,
      stablecoins: [],
      explorer: 'https://basescan.org',
      blockTimeMs: 500,
      reorgWindow: 64,
      multicall3: null,
      maxBlockRange: 100,
      flashblocksUrl: node.url,
    };
    events = createEventBus();
    startOutbox();
    await startFollower();
  }, 60_000);

  afterAll(async () => {
    await follower?.stop();
    await outbox?.stop();
    await node?.stop();
    await anvil?.stop();
    await database?.close();
  });

  it('behavior: a preconfirmed transfer is alerted well before its block seals, marked preconfirmed, and confirmed without a second alert', async () => {
    const { hash, minedAt } = await sendToWallet(10n ** 16n);
    const [alert] = await waitFor('the preconfirmed alert', () => of(hash).length > 0 && of(hash), 10_000);
    const latency = alert!.at - minedAt;
    expect(alert!.preconfirmed).toBe(true);
    expect(alert!.received).toEqual([expect.objectContaining({ amount: '0.01' })]);
    expect(latency, `preconfirmed alert ${latency} ms after the block was built; it seals after ${SEAL_DELAY_MS} ms`).toBeLessThan(SEAL_DELAY_MS / 2);
    const [before] = await tradeOf(hash);
    expect(before).toMatchObject({ preconfirmed: true, revertedAt: null });

    const sealed = await waitFor('the trade confirmed by its sealed block', async () => {
      const [row] = await tradeOf(hash);
      return row && !row.preconfirmed && row;
    }, 10_000);
    const block = await anvil.rpc<{ hash: string; number: string }>('eth_getBlockByNumber', [`0x${sealed.blockNumber.toString(16)}`, false]);
    expect(sealed.blockHash, 'moved to its sealed block').toBe(block.hash);
    expect(await tradeOf(hash)).toHaveLength(1);
    const legs = await database.db.select().from(balanceChanges).where(eq(balanceChanges.txHash, hash));
    expect(legs.map((leg) => [leg.asset, leg.amount, leg.blockHash])).toEqual([['native', 10n ** 16n, block.hash]]);
    await sleep(1_000);
    expect(of(hash), 'one alert, no repeat at the seal').toHaveLength(1);
    expect(of(hash, 'correction')).toHaveLength(0);
  }, 30_000);

  it('behavior: woken by newFlashblocks over the WebSocket, it reads the block being built as soon as it grows, not at the next poll', async () => {
    await follower!.stop();
    // Polls a minute apart: only the notification can bring the alert before the block seals.
    await startFollower(60_000);
    try {
      await waitFor('the newFlashblocks subscription', () => node.count('eth_subscribe') > 0, 10_000);
      await sleep(200);
      const { hash, minedAt } = await sendToWallet(6n * 10n ** 16n);
      const [alert] = await waitFor('the preconfirmed alert', () => of(hash).length > 0 && of(hash), 10_000);
      expect(alert!.preconfirmed).toBe(true);
      expect(alert!.at - minedAt).toBeLessThan(SEAL_DELAY_MS / 2);
    } finally {
      await follower!.stop();
      await startFollower();
    }
  }, 30_000);

  it('behavior: a preconfirmed transfer that its sealed block does not hold is retracted by a correction', async () => {
    const snapshot = await anvil.snapshot();
    const { hash } = await sendToWallet(2n * 10n ** 16n);
    await waitFor('the preconfirmed alert', () => of(hash).length > 0, 10_000);
    // The sequencer drops the block it was building: the block of that number seals without the transfer.
    await node.revert(snapshot);
    await anvil.rpc('eth_sendTransaction', [{ from: sender, to: '0x000000000000000000000000000000000000dead', value: '0x1' }]);
    await node.mine();
    const [correction] = await waitFor('the correction', () => of(hash, 'correction').length > 0 && of(hash, 'correction'), 10_000);
    expect(correction!.preconfirmed).toBe(true);
    const [row] = await tradeOf(hash);
    expect(row!.revertedAt).not.toBeNull();
    expect(await database.db.select().from(balanceChanges).where(eq(balanceChanges.txHash, hash))).toHaveLength(0);
    expect(of(hash)).toHaveLength(1);
  }, 30_000);

  it('behavior: native coin received inside a call is in the preconfirmed alert where the endpoint traces it', async () => {
    const { hash, minedAt } = await callPayer();
    const [alert] = await waitFor('the preconfirmed alert', () => of(hash).length > 0 && of(hash), 10_000);
    expect(alert).toMatchObject({ preconfirmed: true, received: [expect.objectContaining({ amount: '0.008' })] });
    expect(alert!.at - minedAt).toBeLessThan(SEAL_DELAY_MS / 2);
    await waitFor('the trade confirmed', async () => {
      const [row] = await tradeOf(hash);
      return row && !row.preconfirmed;
    }, 10_000);
    await sleep(500);
    expect(of(hash)).toHaveLength(1);
    expect(of(hash, 'correction')).toHaveLength(0);
  }, 30_000);

  it('behavior: without traces of preconfirmed transactions, balances confirm a plain transfer at once; coin moved inside a call waits for the sealed block', async () => {
    node.tracePreconfirmed(false);
    try {
      const plain = await sendToWallet(7n * 10n ** 16n);
      const [alert] = await waitFor('the preconfirmed alert', () => of(plain.hash).length > 0 && of(plain.hash), 10_000);
      expect(alert).toMatchObject({ preconfirmed: true, received: [expect.objectContaining({ amount: '0.07' })] });
      expect(alert!.at - plain.minedAt).toBeLessThan(SEAL_DELAY_MS / 2);

      const inner = await callPayer();
      const [sealedAlert] = await waitFor('the alert from the sealed block', () => of(inner.hash).length > 0 && of(inner.hash), 10_000);
      expect(sealedAlert, 'not alerted with a wrong amount before it sealed').toMatchObject({ preconfirmed: false, received: [expect.objectContaining({ amount: '0.008' })] });
      expect(sealedAlert!.at - inner.minedAt).toBeGreaterThanOrEqual(SEAL_DELAY_MS);
      await sleep(500);
      expect(of(plain.hash)).toHaveLength(1);
      expect(of(inner.hash)).toHaveLength(1);
      expect([...of(plain.hash, 'correction'), ...of(inner.hash, 'correction')]).toHaveLength(0);
    } finally {
      node.tracePreconfirmed(true);
    }
  }, 30_000);

  it('behavior: a restart between a preconfirmed alert and the seal repeats nothing and loses nothing', async () => {
    // A preconfirmation alerted, then the process stops before the block seals; the next process settles it.
    const confirmed = await sendToWallet(3n * 10n ** 16n);
    await waitFor('the preconfirmed alert', () => of(confirmed.hash).length > 0, 10_000);
    await follower!.stop();
    await sleep(SEAL_DELAY_MS + 200);
    await startFollower();
    await waitFor('the confirmation after the restart', async () => {
      const [row] = await tradeOf(confirmed.hash);
      return row && !row.preconfirmed;
    }, 10_000);

    // A preconfirmation stored while delivery is down, then both stop; the block is dropped before the restart.
    await outbox!.stop();
    const snapshot = await anvil.snapshot();
    const dropped = await sendToWallet(4n * 10n ** 16n);
    await waitFor('the preconfirmed trade stored', async () => (await tradeOf(dropped.hash)).length > 0, 10_000);
    await follower!.stop();
    await node.revert(snapshot);
    const landed = await sendToWallet(5n * 10n ** 16n);
    await sleep(SEAL_DELAY_MS + 200);
    await startFollower();
    startOutbox();
    await waitFor('the sealed transfer alerted', () => of(landed.hash).length > 0, 10_000);
    await sleep(1_000);

    expect(of(confirmed.hash), 'the confirmed transfer: its one preconfirmed alert').toHaveLength(1);
    expect(of(confirmed.hash, 'correction')).toHaveLength(0);
    expect(of(dropped.hash), 'the dropped one never left: nothing to alert or correct').toHaveLength(0);
    expect(of(dropped.hash, 'correction')).toHaveLength(0);
    expect(await tradeOf(dropped.hash), 'deleted with its undelivered alert').toHaveLength(0);
    expect(of(landed.hash)).toHaveLength(1);
    const [landedRow] = await tradeOf(landed.hash);
    expect(landedRow!.preconfirmed).toBe(false);
  }, 60_000);
});

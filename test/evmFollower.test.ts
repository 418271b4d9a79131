import { and, eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { formatUnits, parseEther, parseUnits, type Address, type Hash } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvmChainConfig } from '../src/config/chainPresets.js';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import type { Database } from '../src/db/openDatabase.js';
import { alertOutbox, balanceChanges, chainCursors, trades } from '../src/db/schema.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createChainStore } from '../src/db/chainStore.js';
import { storeChainRecords } from '../src/db/storeChainRecords.js';
import type { BackfillRange } from '../src/tracker/ChainDriver.js';
import { createEvmDriver } from '../src/tracker/evm/createEvmDriver.js';
import { createEvmFollower, type EvmFollower } from '../src/tracker/evm/createEvmFollower.js';
import { compileTestToken } from './support/evm/compileTestToken.js';
import { deployUniswap, type UniswapWorld } from './support/evm/deployUniswap.js';
import { startAnvil, type Anvil } from './support/evm/startAnvil.js';
import { consoleAlerts } from './support/consoleAlerts.js';
import { createTestDatabase } from './support/testDatabase.js';
import { localChainConfig } from './support/evm/localChainConfig.js';

const logger = pino({ level: 'silent' });

describe('EVM follower on anvil with Uniswap V2', () => {
  let anvil: Anvil;
  let world: UniswapWorld;
  let database: Database;
  let chain: EvmChainConfig;
  let config: LookoutConfig;
  let follower: EvmFollower;
  let alice: Address;
  let bob: Address;
  let carol: Address;
  let stranger: Address;
  let alerts: ReturnType<typeof consoleAlerts>;
  const events = createEventBus();

  const lower = (address: string) => address.toLowerCase();
  const tradeOf = async (hash: Hash, wallet: Address) => {
    const rows = await database.db
      .select()
      .from(trades)
      .where(and(eq(trades.txHash, hash), eq(trades.wallet, lower(wallet)), isNull(trades.revertedAt)));
    expect(rows.length).toBeLessThanOrEqual(1);
    return rows[0];
  };
  const deltasOf = async (hash: Hash, wallet: Address) => {
    const rows = await database.db
      .select()
      .from(balanceChanges)
      .where(and(eq(balanceChanges.txHash, hash), eq(balanceChanges.wallet, lower(wallet))));
    return Object.fromEntries(rows.map((row) => [row.asset, row.amount]));
  };
  const alertsFor = (tx: string) => alerts.alertsFor(tx);
  const receiptOf = (hash: Hash) => world.publicClient.waitForTransactionReceipt({ hash });

  beforeAll(async () => {
    anvil = await startAnvil();
    world = await deployUniswap(anvil);
    [alice, bob, carol, stranger] = world.accounts as [Address, Address, Address, Address];
    database = await createTestDatabase();
    chain = localChainConfig(anvil, world);
    config = { chains: [chain], followed: [chain] } as LookoutConfig;
    alerts = consoleAlerts({ db: database.db, config, logger, events });
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    await ensureWorkspace(database.db, { id: 'team', platform: 'local', externalId: 'team' });
    for (const [address, label] of [
      [alice, 'alice'],
      [bob, 'bob'],
      [carol, 'carol'],
    ] as const) {
      await trackWallet(database.db, { workspaceId: 'local', address: lower(address), chains: ['localbase'], label, actor: 'test' });
    }
    await trackWallet(database.db, { workspaceId: 'team', address: lower(alice), chains: ['localbase'], label: 'team-alice', actor: 'test' });
    follower = createEvmFollower({ chain, db: database.db, logger, events, maxRange: 5 });
    await follower.syncToHead();
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await anvil?.stop();
  });

  it('behavior: a buy with ETH is a BUY of the token for the ETH sent', async () => {
    const hash = await world.buyWithEth(alice, world.meme, parseEther('1'));
    await receiptOf(hash);
    await follower.syncToHead();
    const trade = await tradeOf(hash, alice);
    expect(trade).toMatchObject({ kind: 'buy', baseAsset: lower(world.meme), quoteAsset: 'native', quoteAmount: parseEther('1') });
    expect(trade!.fee).toBeGreaterThan(0n);
    const deltas = await deltasOf(hash, alice);
    expect(deltas.native).toBe(-parseEther('1'));
    expect(deltas[lower(world.meme)]).toBe(trade!.baseAmount);
    await alerts.drain();
    const [alert] = alertsFor(hash);
    expect(alert).toMatchObject({ type: 'trade', kind: 'buy', label: 'alice', sent: [{ asset: 'native', symbol: 'ETH', amount: '1' }] });
    expect(alert!.received[0]).toMatchObject({ asset: lower(world.meme), symbol: 'MEME' });
  });

  it('behavior: a buy with USDC is priced from its USDC leg, and the approval is no trade', async () => {
    await receiptOf(await world.fundToken(world.usdc, alice, parseUnits('1000', 6)));
    const hash = await world.buyWithUsdc(alice, world.meme, parseUnits('250', 6));
    await receiptOf(hash);
    await follower.syncToHead();
    const trade = await tradeOf(hash, alice);
    expect(trade).toMatchObject({ kind: 'buy', quoteAsset: lower(world.usdc), quoteAmount: parseUnits('250', 6), usdValue: '250' });
    const all = await database.db.select().from(trades).where(eq(trades.wallet, lower(alice)));
    expect(all.every((row) => row.kind !== 'other' || row.failed)).toBe(true);
  });

  it('behavior: a sell for ETH shows the ETH the router sent back inside the call', async () => {
    const balance = await world.publicClient.readContract({
      address: world.meme,
      abi: [{ type: 'function', name: 'balanceOf', stateMutability: 'view', inputs: [{ type: 'address' }], outputs: [{ type: 'uint256' }] }],
      functionName: 'balanceOf',
      args: [alice],
    });
    const hash = await world.sellForEth(alice, world.meme, balance / 4n);
    const receipt = await receiptOf(hash);
    expect(receipt.status).toBe('success');
    await follower.syncToHead();
    const trade = await tradeOf(hash, alice);
    expect(trade).toMatchObject({ kind: 'sell', baseAsset: lower(world.meme), baseAmount: balance / 4n, quoteAsset: 'native' });
    expect(trade!.quoteAmount).toBeGreaterThan(0n);
    const deltas = await deltasOf(hash, alice);
    expect(deltas.native).toBe(trade!.quoteAmount);
  });

  it('behavior: a sell for USDC, a multi-hop swap and a failed swap', async () => {
    const sell = await world.sellForUsdc(alice, world.meme, parseEther('1000'));
    await receiptOf(sell);
    const toPepe = await world.multiHop(alice, [world.meme, world.pepe], parseEther('500'));
    await receiptOf(toPepe);
    const failed = await world.failedSwap(alice, world.meme, parseEther('1'));
    expect((await receiptOf(failed)).status).toBe('reverted');
    await follower.syncToHead();

    expect(await tradeOf(sell, alice)).toMatchObject({ kind: 'sell', baseAsset: lower(world.meme), quoteAsset: lower(world.usdc) });
    expect((await tradeOf(sell, alice))!.usdValue).not.toBeNull();
    expect(await tradeOf(toPepe, alice)).toMatchObject({ kind: 'swap', baseAsset: lower(world.pepe), quoteAsset: lower(world.meme), usdValue: null });
    const failedTrade = await tradeOf(failed, alice);
    expect(failedTrade).toMatchObject({ failed: true });
    expect(failedTrade!.fee).toBeGreaterThan(0n);
    expect(await deltasOf(failed, alice)).toEqual({});
    expect(await database.db.select().from(alertOutbox).where(eq(alertOutbox.tradeId, failedTrade!.id))).toEqual([]);
  });

  it('behavior: token and native transfers in and out between tracked wallets', async () => {
    const tokenOut = await world.transferToken(alice, world.meme, bob, parseEther('10'));
    const ethOut = await world.sendEth(bob, stranger, parseEther('0.5'));
    const ethIn = await world.sendEth(stranger, carol, parseEther('0.25'));
    await Promise.all([tokenOut, ethOut, ethIn].map(receiptOf));
    await follower.syncToHead();
    expect(await tradeOf(tokenOut, alice)).toMatchObject({ kind: 'transfer_out', counterparty: lower(bob), baseAmount: parseEther('10') });
    expect(await tradeOf(tokenOut, bob)).toMatchObject({ kind: 'transfer_in', counterparty: lower(alice), isSpam: false });
    expect(await tradeOf(ethOut, bob)).toMatchObject({ kind: 'transfer_out', baseAsset: 'native', baseAmount: parseEther('0.5') });
    expect(await tradeOf(ethIn, carol)).toMatchObject({ kind: 'transfer_in', baseAsset: 'native', isSpam: false });
  });

  it('behavior: one transaction touching two tracked wallets gives a record to each', async () => {
    const hash = await world.swapForTwo(bob, carol, world.meme, parseEther('0.1'));
    await receiptOf(hash);
    await follower.syncToHead();
    expect(await tradeOf(hash, bob)).toMatchObject({ kind: 'transfer_out', baseAsset: 'native' });
    expect(await tradeOf(hash, carol)).toMatchObject({ kind: 'transfer_in', baseAsset: lower(world.meme) });
  });

  it('behavior: an unsolicited transfer of a token nobody held is stored as spam and raises no alert', async () => {
    const { abi, bytecode } = compileTestToken();
    const deployment = await world.walletClient(world.deployer).deployContract({ abi, bytecode, args: ['Free Money', 'FREE', 18] });
    const spamToken = (await receiptOf(deployment)).contractAddress!;
    const airdrop = await world.walletClient(world.deployer).writeContract({
      address: spamToken,
      abi,
      functionName: 'mint',
      args: [carol, parseEther('1000000')],
    });
    await receiptOf(airdrop);
    await follower.syncToHead();
    const trade = await tradeOf(airdrop, carol);
    expect(trade).toMatchObject({ kind: 'transfer_in', isSpam: true, baseAsset: lower(spamToken) });
    expect(await database.db.select().from(alertOutbox).where(eq(alertOutbox.tradeId, trade!.id))).toEqual([]);
  });

  it('behavior: one wallet tracked by two workspaces alerts both, once each', async () => {
    const hash = await world.buyWithEth(alice, world.meme, parseEther('0.2'));
    await receiptOf(hash);
    await follower.syncToHead();
    await follower.syncToHead();
    const trade = await tradeOf(hash, alice);
    const rows = await database.db.select().from(alertOutbox).where(eq(alertOutbox.tradeId, trade!.id));
    expect(rows.map((row) => row.workspaceId).sort()).toEqual(['local', 'team']);
  });

  it('behavior: re-processing stored blocks is a no-op', async () => {
    const tradesBefore = await database.db.$count(trades);
    const outboxBefore = await database.db.$count(alertOutbox);
    const [cursor] = await database.db.select().from(chainCursors);
    await database.db.update(chainCursors).set({ blockNumber: cursor!.blockNumber - 8n, blockHash: null });
    await follower.syncToHead();
    expect(await database.db.$count(trades)).toBe(tradesBefore);
    expect(await database.db.$count(alertOutbox)).toBe(outboxBefore);
  });

  it('behavior: a reorg undoes orphaned trades, corrects a delivered alert, and records the new block once', async () => {
    const snapshot = await anvil.snapshot();
    await anvil.setAutomine(false);
    const orphanDelivered = await world.buyWithEth(alice, world.meme, parseEther('0.3'));
    await anvil.mine();
    const orphanPending = await world.buyWithEth(bob, world.meme, parseEther('0.3'));
    await anvil.mine();
    await follower.syncToHead();
    const delivered = await tradeOf(orphanDelivered, alice);
    const pending = await tradeOf(orphanPending, bob);
    expect(delivered && pending).toBeTruthy();
    // Deliver only the first block's alert.
    await database.db.update(alertOutbox).set({ state: 'sent', deliveredAt: new Date() }).where(eq(alertOutbox.tradeId, delivered!.id));

    await anvil.revert(snapshot);
    const replacement = await world.buyWithEth(carol, world.meme, parseEther('0.05'));
    await anvil.mine();
    await anvil.mine();
    await anvil.mine();
    await anvil.setAutomine(true);
    const result = await follower.syncToHead();
    expect(result.reorgs).toBe(1);

    expect(await tradeOf(orphanPending, bob)).toBeUndefined();
    expect(await database.db.select().from(trades).where(eq(trades.id, pending!.id))).toEqual([]);
    const [kept] = await database.db.select().from(trades).where(eq(trades.id, delivered!.id));
    expect(kept!.revertedAt).not.toBeNull();
    const corrections = await database.db
      .select()
      .from(alertOutbox)
      .where(and(eq(alertOutbox.tradeId, delivered!.id), eq(alertOutbox.kind, 'correction')));
    expect(corrections.map((row) => row.workspaceId).sort()).toEqual(['local', 'team']);
    expect(await deltasOf(orphanDelivered, alice)).toEqual({});
    expect(await tradeOf(replacement, carol)).toMatchObject({ kind: 'buy' });

    await alerts.drain();
    const correction = alertsFor(orphanDelivered as Hash).find((alert: { type: string }) => alert.type === 'correction');
    // The correction says what it retracts: the legs of the dropped trade, though its balance changes are gone.
    expect(correction).toMatchObject({ kind: 'buy', label: 'alice', sent: [{ asset: 'native', symbol: 'ETH', amount: '0.3' }] });
    expect(correction!.received).toEqual([{ asset: lower(world.meme), symbol: 'MEME', amount: formatUnits(delivered!.baseAmount!, 18) }]);
    expect(alertsFor(replacement)).toHaveLength(1);
  });

  it('behavior: a backfill stores a newly tracked wallet\'s past trades once, without alerts', async () => {
    const dave = world.accounts[4]! as Address;
    const past = await world.buyWithEth(dave, world.meme, parseEther('0.4'));
    await receiptOf(past);
    const sold = await world.sellForUsdc(dave, world.meme, parseEther('100'));
    await receiptOf(sold);
    await follower.syncToHead();
    expect(await tradeOf(past, dave)).toBeUndefined();

    await trackWallet(database.db, { workspaceId: 'local', address: lower(dave), chains: ['localbase'], label: 'dave', actor: 'test' });
    const driver = createEvmDriver({ chain, store: createChainStore(database.db), rpc: follower.rpc, logger });
    const backfill = async (range: BackfillRange) => {
      const { records } = await driver.backfill!(lower(dave), range);
      return { stored: (await storeChainRecords(database.db, { chain: chain.name, records, blocks: [], cursor: null, keepBlocks: 0, route: null })).length };
    };
    const first = await backfill({ fromBlock: 0n });
    expect(first.stored).toBe(2);
    expect(await tradeOf(past, dave)).toMatchObject({ kind: 'buy', quoteAsset: 'native', quoteAmount: parseEther('0.4') });
    expect(await tradeOf(sold, dave)).toMatchObject({ kind: 'sell', usdValue: expect.any(String) });
    const ids = [(await tradeOf(past, dave))!.id, (await tradeOf(sold, dave))!.id];
    for (const id of ids) expect(await database.db.select().from(alertOutbox).where(eq(alertOutbox.tradeId, id))).toEqual([]);
    const again = await backfill({ sinceMs: 3_600_000 });
    expect(again.stored).toBe(0);
  });

  it('behavior: with a WebSocket, newHeads wakes the follower long before its polling interval', { timeout: 30_000 }, async () => {
    const slowChain = { ...chain, wsUrl: anvil.url.replace('http', 'ws'), blockTimeMs: 60_000 };
    const live = createEvmFollower({ chain: slowChain, db: database.db, logger, events, maxRange: 5 });
    live.start();
    try {
      // The first round runs at start; after it the follower sleeps for four block times unless woken.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const buy = await world.buyWithEth(alice, world.meme, parseEther('0.05'));
      await receiptOf(buy);
      const deadline = Date.now() + 10_000;
      while (!(await tradeOf(buy, alice)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await tradeOf(buy, alice)).toMatchObject({ kind: 'buy' });
    } finally {
      await live.stop();
    }
  });

  it('behavior: every alert reaches the console exactly once', async () => {
    await alerts.drain();
    const keys = alerts.printed.map((line) => {
      const alert = JSON.parse(line);
      return `${alert.type}|${alert.tx}|${alert.wallet}`;
    });
    expect(new Set(keys).size).toBe(keys.length);
    const pendingLeft = await database.db.select().from(alertOutbox).where(and(eq(alertOutbox.workspaceId, 'local'), eq(alertOutbox.state, 'pending')));
    expect(pendingLeft).toEqual([]);
  });
});

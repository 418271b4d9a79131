import { and, eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { formatEther, formatUnits, keccak256, maxUint256, parseEther, parseUnits, toHex, type Address, type Hash, type TransactionReceipt } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainConfig } from '../src/config/chainPresets.js';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import type { Database } from '../src/db/openDatabase.js';
import { alertOutbox, balanceChanges, skippedTransactions, tokens, trades } from '../src/db/schema.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createJsonRpcClient } from '../src/tracker/evm/createJsonRpcClient.js';
import { createEvmFollower, type EvmFollower } from '../src/tracker/evm/createEvmFollower.js';
import { createInternalNativeMeter } from '../src/tracker/evm/measureInternalNative.js';
import type { RpcReceipt, RpcTx } from '../src/tracker/evm/evmRpcTypes.js';
import { consoleAlerts } from './support/consoleAlerts.js';
import { testTokenAbi } from './support/evm/compileTestToken.js';
import { uniswapV2RouterAbi } from './support/evm/uniswapV2Abis.js';
import { deployUniswap, type UniswapWorld } from './support/evm/deployUniswap.js';
import { startAnvil, type Anvil } from './support/evm/startAnvil.js';
import { startRpcFaultProxy, type RpcFaultProxy } from './support/evm/startRpcFaultProxy.js';
import { createTestDatabase } from './support/testDatabase.js';
import { localChainConfig } from './support/evm/localChainConfig.js';

const logger = pino({ level: 'silent' });
const WITHDRAWAL_TOPIC = keccak256(toHex('Withdrawal(address,uint256)'));

/**
 * The follower behind a JSON-RPC proxy that fails exactly one chosen call, checked against what the chain
 * itself says: token balances, native balances and the WETH the router unwrapped in each transaction.
 */
describe('EVM follower behind a faulty RPC', () => {
  let anvil: Anvil;
  let proxy: RpcFaultProxy;
  let world: UniswapWorld;
  let database: Database;
  let follower: EvmFollower;
  let alice: Address;
  let stranger: Address;
  let alerts: ReturnType<typeof consoleAlerts>;
  const events = createEventBus();

  const lower = (address: string) => address.toLowerCase();
  const receiptOf = (hash: Hash) => world.publicClient.waitForTransactionReceipt({ hash });
  const tokenBalance = (token: Address, wallet: Address, blockNumber?: bigint) =>
    world.publicClient.readContract({ address: token, abi: testTokenAbi, functionName: 'balanceOf', args: [wallet], blockNumber });
  const tradeOf = async (hash: Hash, wallet: Address) => {
    const rows = await database.db
      .select()
      .from(trades)
      .where(and(eq(trades.txHash, hash), eq(trades.wallet, lower(wallet)), isNull(trades.revertedAt)));
    return rows[0];
  };
  const deltasOf = async (hash: Hash, wallet: Address) => {
    const rows = await database.db
      .select()
      .from(balanceChanges)
      .where(and(eq(balanceChanges.txHash, hash), eq(balanceChanges.wallet, lower(wallet))));
    return Object.fromEntries(rows.map((row) => [row.asset, row.amount]));
  };
  /** The ETH the router got out of WETH in this transaction: what it then paid the seller. */
  const unwrapped = (receipt: TransactionReceipt) => {
    const logs = receipt.logs.filter((log) => log.address === lower(world.weth) && log.topics[0] === WITHDRAWAL_TOPIC);
    expect(logs).toHaveLength(1);
    return BigInt(logs[0]!.data);
  };
  const feeOf = (receipt: TransactionReceipt) => receipt.gasUsed * receipt.effectiveGasPrice;

  beforeAll(async () => {
    anvil = await startAnvil();
    world = await deployUniswap(anvil);
    proxy = await startRpcFaultProxy(anvil.url);
    [alice, , , stranger] = world.accounts as [Address, Address, Address, Address];
    database = await createTestDatabase();
    const chain: ChainConfig = localChainConfig(anvil, world, { rpcUrls: [proxy.url] });
    const config = { chains: [chain], followed: [chain] } as LookoutConfig;
    alerts = consoleAlerts({ db: database.db, config, logger, events });
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    await trackWallet(database.db, { workspaceId: 'local', address: lower(alice), chains: ['localbase'], label: 'alice', actor: 'test' });
    const rpc = createJsonRpcClient({ urls: [proxy.url], logger, baseDelayMs: 5 });
    follower = createEvmFollower({ chain, db: database.db, logger, events, maxRange: 5, rpc });
    await follower.syncToHead();
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await proxy?.stop();
    await anvil?.stop();
  });

  it('error: a JSON-RPC error on the first eth_call of a new token still gives 12.5 USDC, with its symbol', async () => {
    await receiptOf(await world.fundToken(world.usdc, stranger, parseUnits('100', 6)));
    const fault = proxy.fail({ method: 'eth_call', fault: { type: 'rpc_error', code: -32603, message: 'upstream request timed out' } });
    const hash = await world.transferToken(stranger, world.usdc, alice, parseUnits('12.5', 6));
    const receipt = await receiptOf(hash);
    await follower.syncToHead();
    expect(fault.fired()).toBe(1);

    const onChain = (await tokenBalance(world.usdc, alice, receipt.blockNumber)) - (await tokenBalance(world.usdc, alice, receipt.blockNumber - 1n));
    expect(onChain).toBe(parseUnits('12.5', 6));
    expect((await deltasOf(hash, alice))[lower(world.usdc)]).toBe(onChain);
    const [token] = await database.db.select().from(tokens).where(eq(tokens.address, lower(world.usdc)));
    expect(token).toMatchObject({ symbol: 'USDC', decimals: 6, decimalsKnown: true, metadataFallback: false });
    await alerts.drain();
    expect(alerts.alertsFor(hash)).toMatchObject([{ kind: 'transfer_in', received: [{ symbol: 'USDC', amount: '12.5' }] }]);
  });

  it('error: one failed debug_traceTransaction before two same-block sales for ETH gives each its exact ETH', async () => {
    await receiptOf(await world.buyWithEth(alice, world.meme, parseEther('0.5')));
    await follower.syncToHead();
    await anvil.setAutomine(false);
    const first = await world.sellForEth(alice, world.meme, parseEther('1000'));
    const second = await world.sellForEth(alice, world.meme, parseEther('1500'));
    await anvil.mine();
    await anvil.setAutomine(true);
    const [firstReceipt, secondReceipt] = await Promise.all([receiptOf(first), receiptOf(second)]);
    expect(firstReceipt.blockNumber).toBe(secondReceipt.blockNumber);

    const fault = proxy.fail({ method: 'debug_traceTransaction', fault: { type: 'rpc_error', code: -32000, message: 'execution timeout' } });
    const balanceReads = proxy.count('eth_getBalance');
    const nonceReads = proxy.count('eth_getTransactionCount');
    await follower.syncToHead();
    expect(fault.fired()).toBe(1);
    // Note: in wallet mode the per-block probe reads a balance beside each nonce; any other balance read would be the balances method.
    expect(proxy.count('eth_getBalance') - balanceReads).toBe(proxy.count('eth_getTransactionCount') - nonceReads);

    const [firstEth, secondEth] = [unwrapped(firstReceipt), unwrapped(secondReceipt)];
    expect(firstEth).not.toBe(secondEth);
    expect((await deltasOf(first, alice)).native).toBe(firstEth);
    expect((await deltasOf(second, alice)).native).toBe(secondEth);
    expect(await tradeOf(first, alice)).toMatchObject({ kind: 'sell', quoteAsset: 'native', quoteAmount: firstEth });
    expect(await tradeOf(second, alice)).toMatchObject({ kind: 'sell', quoteAsset: 'native', quoteAmount: secondEth });

    // The chain's own balance moved by both sales less the gas of the block's four transactions (two approvals).
    const block = firstReceipt.blockNumber;
    const ethMoved = (await world.publicClient.getBalance({ address: alice, blockNumber: block })) - (await world.publicClient.getBalance({ address: alice, blockNumber: block - 1n }));
    const blockTxs = (await world.publicClient.getBlock({ blockNumber: block })).transactions;
    const fees = (await Promise.all(blockTxs.map((tx) => receiptOf(tx)))).filter((r) => lower(r.from) === lower(alice)).map(feeOf);
    expect(fees).toHaveLength(4);
    expect(ethMoved).toBe(firstEth + secondEth - fees.reduce((sum, fee) => sum + fee, 0n));

    await alerts.drain();
    expect(alerts.alertsFor(first)).toMatchObject([{ kind: 'sell', received: [{ symbol: 'ETH', amount: formatEther(firstEth) }] }]);
    expect(alerts.alertsFor(second)).toMatchObject([{ kind: 'sell', received: [{ symbol: 'ETH', amount: formatEther(secondEth) }] }]);
  });

  it('error: a node one block behind its eth_blockNumber gives no wrong amount and no false reorg', async () => {
    const lag = proxy.fail({
      method: 'eth_blockNumber',
      times: Infinity,
      fault: { type: 'edit', edit: (head) => toHex(BigInt(head as string) + 1n) },
    });
    try {
      const hash = await world.buyWithEth(alice, world.meme, parseEther('0.2'));
      const receipt = await receiptOf(hash);
      const first = await follower.syncToHead();
      const again = await follower.syncToHead();
      expect(first.reorgs + again.reorgs).toBe(0);
      expect(first.to).toBe(receipt.blockNumber);
      const bought = (await tokenBalance(world.meme, alice, receipt.blockNumber)) - (await tokenBalance(world.meme, alice, receipt.blockNumber - 1n));
      expect(await tradeOf(hash, alice)).toMatchObject({ kind: 'buy', baseAmount: bought, quoteAmount: parseEther('0.2') });
      expect(await deltasOf(hash, alice)).toEqual({ native: -parseEther('0.2'), [lower(world.meme)]: bought });
    } finally {
      lag.remove();
    }
    await anvil.mine();
    expect((await follower.syncToHead()).reorgs).toBe(0);
  });

  it('behavior: a correction after a reorg shows the legs, amounts and link of the trade it retracts', async () => {
    const snapshot = await anvil.snapshot();
    const hash = await world.sellForEth(alice, world.meme, parseEther('700'));
    const receipt = await receiptOf(hash);
    await follower.syncToHead();
    const sold = await tradeOf(hash, alice);
    expect(sold).toMatchObject({ kind: 'sell', quoteAmount: unwrapped(receipt) });
    await alerts.drain();
    const [alert] = alerts.alertsFor(hash);
    expect(alert).toBeDefined();

    await anvil.revert(snapshot);
    await anvil.mine(3);
    expect((await follower.syncToHead()).reorgs).toBe(1);
    expect(await deltasOf(hash, alice)).toEqual({});
    expect(await database.db.select().from(alertOutbox).where(and(eq(alertOutbox.tradeId, sold!.id), eq(alertOutbox.kind, 'correction')))).toHaveLength(1);

    await alerts.drain();
    const correction = alerts.alertsFor(hash).find((printed) => printed.type === 'correction');
    expect(correction).toMatchObject({
      kind: 'sell',
      label: 'alice',
      sent: [{ asset: lower(world.meme), symbol: 'MEME', amount: formatUnits(parseEther('700'), 18) }],
      received: [{ asset: 'native', symbol: 'ETH', amount: formatEther(unwrapped(receipt)) }],
      usd: alert!.usd,
    });
    expect(correction!.sent).toEqual(alert!.sent);
    expect(correction!.received).toEqual(alert!.received);
  });

  it('behavior: on a node without call traces, one sale is measured exactly from balances, and two in one block are never summed into one', async () => {
    const noTraces = proxy.fail({
      method: 'debug_traceTransaction',
      times: Infinity,
      fault: { type: 'rpc_error', code: -32601, message: 'the method debug_traceTransaction does not exist/is not available' },
    });
    const scratch = await createTestDatabase();
    try {
      await ensureWorkspace(scratch.db, { id: 'local', platform: 'local', externalId: 'local' });
      await trackWallet(scratch.db, { workspaceId: 'local', address: lower(alice), chains: ['localbase'], label: 'alice', actor: 'test' });
      const chain = { ...follower.chain };
      const rpc = createJsonRpcClient({ urls: [proxy.url], logger, baseDelayMs: 5 });
      const start = await world.publicClient.getBlockNumber();
      const plain = createEvmFollower({ chain, db: scratch.db, logger, events, maxRange: 5, rpc, startBlock: start });
      const printed = consoleAlerts({ db: scratch.db, config: { chains: [chain], followed: [chain] } as LookoutConfig, logger, events });

      const single = await world.sellForEth(alice, world.meme, parseEther('300'));
      const singleReceipt = await receiptOf(single);
      await anvil.setAutomine(false);
      const first = await world.sellForEth(alice, world.meme, parseEther('400'));
      const second = await world.sellForEth(alice, world.meme, parseEther('600'));
      await anvil.mine();
      await anvil.setAutomine(true);
      const [firstReceipt, secondReceipt] = await Promise.all([receiptOf(first), receiptOf(second)]);
      await plain.syncToHead();
      expect(proxy.count('eth_getBalance')).toBeGreaterThan(0);

      const deltas = async (hash: Hash) => {
        const rows = await scratch.db.select().from(balanceChanges).where(and(eq(balanceChanges.txHash, hash), eq(balanceChanges.wallet, lower(alice))));
        return Object.fromEntries(rows.map((row) => [row.asset, row.amount]));
      };
      // The sale alone in its block (with its approval) is exact: the chain's balance less the receipts' fees.
      expect((await deltas(single)).native).toBe(unwrapped(singleReceipt));
      // The two in one block: neither gets a guessed share, and each alert says what was left out.
      const both = unwrapped(firstReceipt) + unwrapped(secondReceipt);
      for (const hash of [first, second]) {
        expect((await deltas(hash)).native).toBeUndefined();
        const [trade] = await scratch.db.select().from(trades).where(and(eq(trades.txHash, hash), eq(trades.wallet, lower(alice))));
        expect(trade!.unsplitNative).toBe(both);
      }
      // A plain send to an address without code runs nothing: beside it, the sale's coin is exact again.
      await receiptOf(
        await world.walletClient(alice).writeContract({ address: world.meme, abi: testTokenAbi, functionName: 'approve', args: [world.router, parseEther('250')], gas: 100_000n }),
      );
      await anvil.setAutomine(false);
      const send = await world.sendEth(alice, stranger, parseEther('0.01'));
      const sale = await world.walletClient(alice).writeContract({
        address: world.router,
        abi: uniswapV2RouterAbi,
        functionName: 'swapExactTokensForETH',
        args: [parseEther('250'), 0n, [world.meme, world.weth], alice, maxUint256],
        gas: 300_000n,
      });
      await anvil.mine();
      await anvil.setAutomine(true);
      const saleReceipt = await receiptOf(sale);
      expect((await receiptOf(send)).blockNumber).toBe(saleReceipt.blockNumber);
      await plain.syncToHead();
      expect((await deltas(sale)).native).toBe(unwrapped(saleReceipt));
      expect((await deltas(send)).native).toBe(-parseEther('0.01'));

      await printed.drain();
      expect(printed.alertsFor(sale)).toMatchObject([{ kind: 'sell', received: [{ symbol: 'ETH', amount: formatEther(unwrapped(saleReceipt)) }] }]);
      expect(printed.alertsFor(sale)[0]).not.toHaveProperty('note');
      expect(printed.alertsFor(single)).toMatchObject([{ kind: 'sell', received: [{ symbol: 'ETH', amount: formatEther(unwrapped(singleReceipt)) }] }]);
      for (const hash of [first, second]) {
        const [alert] = printed.alertsFor(hash);
        expect(alert!.received).toEqual([]);
        expect(alert!.note).toContain(`${formatEther(both)} ETH received inside calls in this block is not shown above`);
      }
    } finally {
      noTraces.remove();
      await scratch.close();
    }
  });

  it('behavior: trace support is decided per endpoint: a fallback without traces answering once does not switch a traced node off', async () => {
    const untraced = await startRpcFaultProxy(anvil.url);
    untraced.fail({ method: 'debug_traceTransaction', times: Infinity, fault: { type: 'rpc_error', code: -32601, message: 'method not found' } });
    const blip = proxy.fail({ method: 'debug_traceTransaction', fault: { type: 'http_status', status: 500 } });
    try {
      const hash = await world.sellForEth(alice, world.meme, parseEther('200'));
      const receipt = await receiptOf(hash);
      const rpc = createJsonRpcClient({ urls: [proxy.url, untraced.url], logger, baseDelayMs: 5, maxRounds: 1 });
      const meter = createInternalNativeMeter(rpc, logger, { baseDelayMs: 5 });
      const tx = await rpc.request<RpcTx & { from: string }>('eth_getTransactionByHash', [hash]);
      const rpcReceipt = await rpc.request<RpcReceipt>('eth_getTransactionReceipt', [hash]);
      const measured = await meter.measure([{ hash, blockNumber: receipt.blockNumber, tx, receipt: rpcReceipt, wallets: [lower(alice)] }]);
      expect(blip.fired()).toBe(1);
      expect(untraced.count('debug_traceTransaction')).toBe(1);
      expect(meter.method()).toBe('trace');
      expect(measured.moved.get(hash)?.get(lower(alice))).toBe(unwrapped(receipt));

      // Only when every endpoint says it has no traces does the meter turn to balances.
      const onlyUntraced = createInternalNativeMeter(createJsonRpcClient({ urls: [untraced.url], logger, maxRounds: 1 }), logger, { baseDelayMs: 5 });
      const fromBalances = await onlyUntraced.measure([{ hash, blockNumber: receipt.blockNumber, tx, receipt: rpcReceipt, wallets: [lower(alice)] }]);
      expect(onlyUntraced.method()).toBe('balance');
      expect(fromBalances.moved.get(hash)?.get(lower(alice))).toBe(unwrapped(receipt));
    } finally {
      blip.remove();
      await untraced.stop();
    }
  });

  it('error: a receipt that cannot be decoded is skipped and kept, and the chain goes on to the next trade', async () => {
    const broken = await world.buyWithEth(alice, world.meme, parseEther('0.01'));
    const brokenReceipt = await receiptOf(broken);
    const fault = proxy.fail({
      method: 'eth_getTransactionReceipt',
      times: Infinity,
      when: ([hash]) => hash === broken,
      fault: { type: 'edit', edit: (upstream) => ({ ...(upstream as object), status: '0x7' }) },
    });
    try {
      const result = await follower.syncToHead();
      expect(result.skipped).toBe(1);
      expect(result.to).toBeGreaterThanOrEqual(brokenReceipt.blockNumber);
    } finally {
      fault.remove();
    }
    expect(await tradeOf(broken, alice)).toBeUndefined();
    const [kept] = await database.db.select().from(skippedTransactions).where(eq(skippedTransactions.txHash, broken));
    expect(kept).toMatchObject({ chain: follower.chain.name, blockNumber: brokenReceipt.blockNumber, reason: expect.stringMatching(/status '0x7'/) });

    const next = await world.buyWithEth(alice, world.meme, parseEther('0.02'));
    await receiptOf(next);
    await follower.syncToHead();
    expect(await tradeOf(next, alice)).toMatchObject({ kind: 'buy', quoteAmount: parseEther('0.02') });
  });

  it('error: while eth_call keeps failing, a trade of a new token waits: nothing is stored until its metadata is read', async () => {
    const fault = proxy.fail({ method: 'eth_call', times: Infinity, fault: { type: 'rpc_error', code: -32603, message: 'backend unavailable' } });
    const hash = await world.multiHop(alice, [world.meme, world.pepe], parseEther('100'));
    const receipt = await receiptOf(hash);
    try {
      await expect(follower.syncToHead()).rejects.toMatchObject({ name: 'RetryableError' });
      expect(fault.fired()).toBeGreaterThan(1);
    } finally {
      fault.remove();
    }
    expect(await tradeOf(hash, alice)).toBeUndefined();
    expect(await database.db.select().from(tokens).where(eq(tokens.address, lower(world.pepe)))).toEqual([]);

    await follower.syncToHead();
    const bought = (await tokenBalance(world.pepe, alice, receipt.blockNumber)) - (await tokenBalance(world.pepe, alice, receipt.blockNumber - 1n));
    expect(await tradeOf(hash, alice)).toMatchObject({ kind: 'swap', baseAsset: lower(world.pepe), baseAmount: bought });
    await alerts.drain();
    expect(alerts.alertsFor(hash)).toMatchObject([{ received: [{ symbol: 'PEPE', amount: formatUnits(bought, 18) }] }]);
  });
});

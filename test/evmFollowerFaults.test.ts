import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { parseEther, type Address, type Hash } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainConfig } from '../src/config/chainPresets.js';
import type { Database } from '../src/db/openDatabase.js';
import { alertOutbox, trades } from '../src/db/schema.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { RetryableError } from '../src/errors/LookoutError.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createEvmFollower, type EvmFollower } from '../src/tracker/evm/createEvmFollower.js';
import { createJsonRpcClient } from '../src/tracker/evm/createJsonRpcClient.js';
import { deployUniswap, type UniswapWorld } from './support/evm/deployUniswap.js';
import { startAnvil, type Anvil } from './support/evm/startAnvil.js';
import { startRpcFaultProxy, type RpcFaultProxy } from './support/evm/startRpcFaultProxy.js';
import { createTestDatabase } from './support/testDatabase.js';
import { localChainConfig } from './support/evm/localChainConfig.js';

const logger = pino({ level: 'silent' });

describe('EVM follower behind a faulty RPC', () => {
  let anvil: Anvil;
  let world: UniswapWorld;
  let proxy: RpcFaultProxy;
  let database: Database;
  let follower: EvmFollower;
  let alice: Address;

  const corrections = () => database.db.$count(alertOutbox, eq(alertOutbox.kind, 'correction'));
  const tradesOf = (hash: Hash) => database.db.select().from(trades).where(eq(trades.txHash, hash));
  const blockParam = (params: unknown[]) => BigInt(params[0] as string);
  const buy = async (): Promise<{ hash: Hash; block: bigint }> => {
    const hash = await world.buyWithEth(alice, world.meme, parseEther('0.01'));
    const receipt = await world.publicClient.waitForTransactionReceipt({ hash });
    return { hash, block: receipt.blockNumber };
  };

  beforeAll(async () => {
    anvil = await startAnvil();
    world = await deployUniswap(anvil);
    proxy = await startRpcFaultProxy(anvil.url);
    [alice] = world.accounts as [Address];
    database = await createTestDatabase();
    const chain: ChainConfig = localChainConfig(anvil, world, { rpcUrls: [proxy.url], blockTimeMs: 200 });
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    await trackWallet(database.db, { workspaceId: 'local', address: alice.toLowerCase(), chains: ['localbase'], label: 'alice', actor: 'test' });
    const rpc = createJsonRpcClient({ urls: [proxy.url], logger, maxRounds: 1, baseDelayMs: 10, timeoutMs: 2_000 });
    follower = createEvmFollower({ chain, db: database.db, logger, events: createEventBus(), rpc, maxRange: 3 });
    await follower.syncToHead();
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    await proxy?.stop();
    await anvil?.stop();
  });

  it('behavior: a null answer for an existing block is a fault to retry, not a reorg; the trade is stored once, with no correction', async () => {
    const { hash, block } = await buy();
    proxy.fail({ method: 'eth_getBlockByNumber', when: (params) => blockParam(params) === block, fault: { type: 'null_result' }, times: 2 });
    // Note: the node has not served the block yet as far as Lookout can tell: it waits, and stores nothing meanwhile.
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await follower.syncToHead()).reorgs).toBe(0);
      expect(await tradesOf(hash)).toHaveLength(0);
    }
    const result = await follower.syncToHead();
    expect(result.reorgs).toBe(0);
    expect(await tradesOf(hash)).toHaveLength(1);
    expect(await corrections()).toBe(0);
  });

  it('behavior: a block missing from a batch answer, or a block whose parent disagrees once, is retried and no reorg is concluded', async () => {
    const { hash, block } = await buy();
    proxy.fail({ method: 'eth_getBlockByNumber', when: (params) => blockParam(params) === block, fault: { type: 'drop' } });
    await expect(follower.syncToHead()).rejects.toBeInstanceOf(RetryableError);
    // A lying answer about the next block's parent: reading the stored block again shows the chain unchanged.
    proxy.fail({
      method: 'eth_getBlockByNumber',
      when: (params) => blockParam(params) === block,
      fault: { type: 'edit', edit: (upstream) => ({ ...(upstream as object), parentHash: `0x${'ab'.repeat(32)}` }) },
    });
    await expect(follower.syncToHead()).rejects.toThrow(/showed no reorg/);
    const result = await follower.syncToHead();
    expect(result.reorgs).toBe(0);
    expect(await tradesOf(hash)).toHaveLength(1);
    expect(await corrections()).toBe(0);
  });

  it('behavior: a stored block the node cannot answer for while a reorg is sorted out stops the undo instead of deepening it', async () => {
    const { block } = await buy();
    await follower.syncToHead();
    const snapshot = await anvil.snapshot();
    const orphan = await buy();
    await follower.syncToHead();
    await anvil.revert(snapshot);
    await anvil.mine();
    await anvil.mine();
    // The real ancestor is `block`; the node answers null for it during the walk down.
    proxy.fail({ method: 'eth_getBlockByNumber', when: (params) => blockParam(params) === block, fault: { type: 'null_result' } });
    await expect(follower.syncToHead()).rejects.toBeInstanceOf(RetryableError);
    const [kept] = await tradesOf(orphan.hash);
    expect(kept?.revertedAt ?? null).toBeNull();
    const result = await follower.syncToHead();
    expect(result.reorgs).toBe(1);
    expect(await tradesOf(orphan.hash)).toEqual([]);
    expect(await corrections()).toBe(0);
  });

  it('behavior: under random faults for a while, every trade is stored once and no correction is made', { timeout: 120_000 }, async () => {
    const bought: Hash[] = [];
    const window = proxy.chaos({
      rate: 0.3,
      faults: [
        { type: 'http_status', status: 500 },
        { type: 'http_status', status: 429 },
        { type: 'malformed' },
        { type: 'rpc_error', code: -32603 },
        { type: 'null_result' },
        { type: 'drop' },
        { type: 'hang', ms: 2_500 },
      ],
    });
    for (let i = 0; i < 8; i++) {
      bought.push((await buy()).hash);
      await follower.syncToHead().catch((error: unknown) => expect(error).toBeInstanceOf(Error));
      // Delivered alerts are what a wrongly concluded reorg would "correct".
      await database.db.update(alertOutbox).set({ state: 'sent', deliveredAt: new Date() });
    }
    window.remove();
    expect(window.fired()).toBeGreaterThan(0);
    const result = await follower.syncToHead();
    expect(result.reorgs).toBe(0);
    for (const hash of bought) expect(await tradesOf(hash)).toHaveLength(1);
    expect(await corrections()).toBe(0);
  });
});

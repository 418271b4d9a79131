import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxWorker } from '../src/bot/delivery/createOutboxWorker.js';
import type { EvmChainConfig } from '../src/config/chainPresets.js';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import type { Database } from '../src/db/openDatabase.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createEvmFollower, type EvmFollower } from '../src/tracker/evm/createEvmFollower.js';
import { timedConsoleOutbox } from './support/consoleAlerts.js';
import { startAnvil, type Anvil } from './support/evm/startAnvil.js';
import { startRpcFaultProxy, type RpcFaultProxy } from './support/evm/startRpcFaultProxy.js';
import { startWsRelay, type WsRelay } from './support/evm/startWsRelay.js';
import { createTestDatabase } from './support/testDatabase.js';

const logger = pino({ level: 'silent' });
/** A long block time: polls aligned to it come seconds apart, and while newHeads stand the safety-net poll is 4 of them away. */
const BLOCK_TIME_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, read: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

// The follower reads blocks over HTTP through a proxy that counts its polls, and subscribes to newHeads through a
// WebSocket relay that can drop; anvil mines only when told, so every block comes when the test says.
describe('EVM follower woken by newHeads', () => {
  let anvil: Anvil;
  let proxy: RpcFaultProxy;
  let relay: WsRelay;
  let database: Database;
  let follower: EvmFollower;
  let outbox: OutboxWorker;
  let sender: string;
  const wallet = '0x00000000000000000000000000000000000c0ffe';
  /** When each alert was written, by tx hash. */
  let delivered = new Map<string, number[]>();
  const alertedAt = (tx: string) => delivered.get(tx)?.[0];
  const polls = () => proxy.count('eth_blockNumber');

  /** Sends 0.01 ETH to the followed wallet and mines it; returns the tx hash and when the block was made. */
  async function mineTransfer(): Promise<{ hash: string; minedAt: number }> {
    const hash = await anvil.rpc<string>('eth_sendTransaction', [{ from: sender, to: wallet, value: '0x2386f26fc10000' }]);
    await anvil.mine();
    return { hash, minedAt: Date.now() };
  }

  beforeAll(async () => {
    anvil = await startAnvil();
    await anvil.setAutomine(false);
    sender = (await anvil.rpc<string[]>('eth_accounts'))[0]!;
    proxy = await startRpcFaultProxy(anvil.url);
    relay = await startWsRelay(`ws://127.0.0.1:${anvil.port}`);
    database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    await trackWallet(database.db, { workspaceId: 'local', address: wallet, chains: ['headsnet'], label: 'coffee', actor: 'test' });
    const chain: EvmChainConfig = {
      name: 'headsnet',
      kind: 'evm',
      chainId: anvil.chainId,
      rpcUrls: [proxy.url],
      wsUrl: relay.url,
      nativeSymbol: 'ETH',
      nativeDecimals: 18,
      wrappedNative: null,
      stablecoins: [],
      explorer: 'https://basescan.org',
      blockTimeMs: BLOCK_TIME_MS,
      reorgWindow: 64,
      multicall3: null,
      maxBlockRange: 100,
    };
    const events = createEventBus();
    const config = { chains: [chain], followed: [chain] } as LookoutConfig;
    ({ worker: outbox, delivered } = timedConsoleOutbox({ db: database.db, config, logger, events }));
    follower = createEvmFollower({ chain, db: database.db, logger, events });
    await follower.syncToHead();
    outbox.start();
    follower.start();
    await waitFor('the newHeads subscription', () => relay.subscribes() > 0, 15_000);
    // Note: until the subscription stood, the follower polled every second; one more pause of that ends here.
    await sleep(1_500);
  }, 60_000);

  afterAll(async () => {
    await follower?.stop();
    await outbox?.stop();
    await relay?.stop();
    await proxy?.stop();
    await anvil?.stop();
    await database?.close();
  });

  it('behavior: a newHeads notification wakes the follower at once, with no poll between blocks', async () => {
    const before = polls();
    await sleep(2_000);
    expect(polls(), 'no poll while newHeads stand and no block came').toBe(before);
    const { hash, minedAt } = await mineTransfer();
    const at = await waitFor('the alert', () => alertedAt(hash), 20_000);
    // Note: without the wake-up the next poll was 4 block times (40 s) away; a pass on a busy machine takes well under 5 s.
    expect(at - minedAt).toBeLessThan(BLOCK_TIME_MS / 2);
    expect(polls() - before, 'one pass after the wake-up, no polls before it').toBeGreaterThanOrEqual(1);
    expect(polls() - before).toBeLessThanOrEqual(2);
  }, 40_000);

  it('behavior: a dropped WebSocket is re-opened with backoff, and the follower polls aligned to the next block meanwhile', async () => {
    const attemptsBefore = relay.attempts().length;
    const subscribesBefore = relay.subscribes();
    relay.drop();
    await waitFor('a first attempt to re-open the WebSocket', () => relay.attempts().length > attemptsBefore, 10_000);
    const pollsBefore = polls();
    const { hash, minedAt } = await mineTransfer();
    const polledAt = await waitFor('the alert found by polling', () => alertedAt(hash), 3 * BLOCK_TIME_MS);
    expect(relay.subscribes(), 'the alert came from a poll, not from newHeads').toBe(subscribesBefore);
    expect(polls()).toBeGreaterThan(pollsBefore);
    // Polls aligned to the next block: about a block time after the last one at most, not the 40 s safety net.
    expect(polledAt - minedAt).toBeLessThan(BLOCK_TIME_MS * 2);
    // Backoff: each attempt waits about twice as long as the one before (with jitter), never a tight loop.
    const refused = await waitFor('four refused attempts', () => relay.attempts().length >= attemptsBefore + 4 && relay.attempts().slice(attemptsBefore), 30_000);
    const gaps = refused.slice(1).map((at, i) => at - refused[i]!);
    expect(gaps[2]!, `gaps between attempts ${gaps.join(', ')} ms`).toBeGreaterThan(gaps[0]!);
    expect(gaps[0]!).toBeGreaterThanOrEqual(200);

    relay.accept();
    await waitFor('the subscription re-opened', () => relay.subscribes() > subscribesBefore, 40_000);
    await sleep(1_500);
    const quiet = polls();
    await sleep(2_000);
    expect(polls(), 'no poll once newHeads stand again').toBe(quiet);
    const again = await mineTransfer();
    const againAt = await waitFor('the alert after the WebSocket is back', () => alertedAt(again.hash), 20_000);
    expect(againAt - again.minedAt).toBeLessThan(BLOCK_TIME_MS / 2);
    expect([...delivered.values()].map((times) => times.length), 'one alert per transfer').toEqual([1, 1, 1]);
  }, 120_000);
});

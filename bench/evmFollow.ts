/**
 * The EVM follower on a mainnet-shaped local RPC (bench/support/startMainnetShapedEvmRpc.ts: 2 s blocks, 250
 * transactions and 2,000 Transfer logs a block, a 10,000-result getLogs cap) for 1, 100, 1,000 and 10,000
 * followed wallets, in wallet mode and in whole-block mode, woken by `newHeads` over the server's WebSocket (the
 * URL derived from the RPC URL) or, with WebSockets refused, polling aligned to the next block: RPC calls and
 * response bytes per block (newHeads notifications included), lag behind the head after the run, alert latency
 * p50/p99 from a block's availability at the RPC to the console sink's write, missed and duplicate alerts, CPU
 * seconds per minute and peak RSS of this process (Lookout alone: the server runs in a process of its own), and
 * catch-up speed over a backlog of blocks made while the follower was down.
 *
 * Run: npm run bench:evm               (about 10 minutes; `-- --quick` for about 4)
 *      npm run bench:evm -- --sizes 1,100 --modes wallets --heads on --seconds 40 --backlog 300 --rate-limit 50
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { EvmChainConfig } from '../src/config/chainPresets.js';
import type { EvmFollowMode } from '../src/config/evmFollowMode.js';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import { loadChainCursor } from '../src/db/chainCursorQueries.js';
import { wallets } from '../src/db/schema.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createEvmFollower } from '../src/tracker/evm/createEvmFollower.js';
import { timedConsoleOutbox } from '../test/support/consoleAlerts.js';
import { createTestDatabase } from '../test/support/testDatabase.js';
import { startServerProcess } from './support/evmRpcServerClient.js';
import { STABLE } from './support/startMainnetShapedEvmRpc.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    modes: { type: 'string' },
    heads: { type: 'string' },
    seconds: { type: 'string' },
    backlog: { type: 'string' },
    'rate-limit': { type: 'string' },
  },
});
const sizes = (args.sizes ?? '1,100,1000,10000').split(',').map(Number);
const modes = (args.modes ?? 'wallets,blocks').split(',') as Exclude<EvmFollowMode, 'auto'>[];
const headsSettings = (args.heads ?? 'on,off').split(',').map((setting) => setting === 'on');
const seconds = Number(args.seconds ?? (args.quick ? 8 : 24));
const backlog = Number(args.backlog ?? (args.quick ? 30 : 90));
const logger = pino({ level: 'silent' });

const rpc = await startServerProcess(args['rate-limit']);
console.log(`EVM follower on a mainnet-shaped local RPC: 2 s blocks, 250 txs and 2,000 Transfer logs a block; ${seconds} s measured per case; catch-up over ${backlog} blocks`);
console.log('mode    heads  wallets  calls/blk  KB/blk  lag  p50 ms  p99 ms  alerts  missed  dup  cpu s/min  rss MiB  catch-up blk/s');

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

for (const size of sizes) {
  for (const mode of modes) for (const newHeads of headsSettings) {
    const database = await createTestDatabase();
    await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
    const hot = Array.from({ length: Math.min(size, 3) }, () => `0x${randomBytes(20).toString('hex')}`);
    for (const [i, address] of hot.entries()) await trackWallet(database.db, { workspaceId: 'local', address, chains: ['bench'], label: `hot${i}`, actor: 'bench' });
    const idle = Array.from({ length: size - hot.length }, () => `0x${randomBytes(20).toString('hex')}`);
    for (let i = 0; i < idle.length; i += 1000) {
      await database.db.insert(wallets).values(idle.slice(i, i + 1000).map((address, j) => ({ workspaceId: 'local', chain: 'bench', address, label: `w${i + j}`, addedBy: 'bench' })));
    }
    await rpc.setHot(hot);
    await rpc.setNewHeads(newHeads);
    const chain: EvmChainConfig = {
      name: 'bench',
      kind: 'evm',
      chainId: 8453,
      rpcUrls: [rpc.url],
      wsUrl: null,
      nativeSymbol: 'ETH',
      nativeDecimals: 18,
      wrappedNative: null,
      stablecoins: [STABLE],
      explorer: 'https://basescan.org',
      blockTimeMs: 2_000,
      reorgWindow: 64,
      multicall3: null,
      maxBlockRange: 100,
      followMode: mode,
    };
    const config = { chains: [chain], followed: [chain] } as LookoutConfig;
    const events = createEventBus();
    const { worker: outbox, delivered } = timedConsoleOutbox({ db: database.db, config, logger, events, pollMs: 1_000 });
    const follower = createEvmFollower({ chain, db: database.db, logger, events, startBlock: await rpc.head() });
    await follower.syncToHead();
    outbox.start();
    follower.start();
    // A few blocks to warm up (token metadata, pacing samples), then the measured window.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const first = (await rpc.head()) + 1n;
    await rpc.resetStats();
    const cpuBefore = process.cpuUsage();
    let peakRss = 0;
    const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
    const last = await rpc.head();
    const stats = await rpc.stats();
    const cpu = process.cpuUsage(cpuBefore);
    const minutes = (Date.now() - started) / 60_000;
    // Alerts of the window's blocks may still be on their way: a block time of grace, then the count.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const cursor = await loadChainCursor(database.db, 'bench');
    const lag = Number((await rpc.head()) - (cursor?.number ?? 0n));
    const latencies: number[] = [];
    let expected = 0;
    let missed = 0;
    let duplicates = 0;
    for (let n = first; n <= last; n++) {
      const block = (await rpc.block(n))!;
      for (const tx of block.hotTxs) {
        expected++;
        const times = delivered.get(tx) ?? [];
        if (times.length === 0) missed++;
        if (times.length > 1) duplicates += times.length - 1;
        if (times[0] !== undefined) latencies.push(times[0] - block.availableAt);
      }
    }
    await follower.stop();
    // Catch-up: the follower is down while `backlog` blocks are made, then reads them all at once.
    await rpc.mineBacklog(backlog);
    const catchStart = performance.now();
    // Note: a busy shared machine can time a request out; the follower would retry it, and so does this.
    for (let attempt = 1; ; attempt++) {
      try {
        await follower.syncToHead();
        break;
      } catch (error) {
        if (attempt === 5) throw error;
      }
    }
    const catchUp = backlog / ((performance.now() - catchStart) / 1000);
    clearInterval(rssTimer);
    await outbox.stop();
    const blocks = Number(last - first + 1n);
    const calls = Object.values(stats.calls).reduce((sum, n) => sum + n, 0);
    console.log(
      [
        mode.padEnd(7),
        (newHeads ? 'ws' : 'poll').padEnd(5),
        String(size).padStart(8),
        (calls / blocks).toFixed(1).padStart(9),
        (stats.bytes / blocks / 1024).toFixed(1).padStart(7),
        String(lag).padStart(4),
        percentile(latencies, 50).toFixed(0).padStart(7),
        percentile(latencies, 99).toFixed(0).padStart(7),
        `${latencies.length}/${expected}`.padStart(7),
        String(missed).padStart(7),
        String(duplicates).padStart(4),
        ((cpu.user + cpu.system) / 1e6 / minutes).toFixed(1).padStart(10),
        (peakRss / 2 ** 20).toFixed(0).padStart(8),
        catchUp.toFixed(1).padStart(15),
      ].join(' '),
    );
    if (stats.limited > 0) console.log(`         (${stats.limited} requests answered 429)`);
    await database.close();
  }
}
await rpc.stop();

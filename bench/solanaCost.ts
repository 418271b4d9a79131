/**
 * What following Solana costs, per mode, for 1, 100, 1,000 and 10,000 followed wallets, against a mainnet-shaped
 * local node in a child process (bench/support/mainnetShapedSolanaNode.ts: 400 ms slots, 1,000–1,500 transactions a
 * block, one trade of a followed wallet a slot, 40 requests/s answered 429 beyond). Prints RPC calls and bytes per
 * slot, lag behind the head, alert latency p50/p99 (from the slot's production to the console sink's write),
 * missed and duplicate trades, Lookout's CPU seconds per minute and peak RSS, the catch-up speed in block mode
 * (slots a second over a backlog of slots made while the follower was down), and the crossover the figures imply.
 *
 * Run: npm run bench:solana [-- --quick] [-- --seconds 180] [-- --backlog 9000]   (9,000 slots: an hour down)
 */
import { fork } from 'node:child_process';
import { Connection } from '@solana/web3.js';
import { pino } from 'pino';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import type { SolanaFollowMode } from '../src/config/solanaFollowMode.js';
import { loadChainCursor } from '../src/db/chainCursorQueries.js';
import { trades, wallets } from '../src/db/schema.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createSolanaFollower } from '../src/tracker/solana/createSolanaFollower.js';
import { timedConsoleOutbox } from '../test/support/consoleAlerts.js';
import { localSolanaChain } from '../test/support/solana/solanaFixtures.js';
import { createTestDatabase } from '../test/support/testDatabase.js';
import { followedWallet } from './support/followedWallet.js';

type NodeStats = {
  tip: number;
  stats: { calls: Record<string, number>; bytes: number; limited: number };
  published: { signature: string; wallet: string; slot: number; at: number }[];
};

const quick = process.argv.includes('--quick');
const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : quick ? 10 : 30;
const backlogArg = process.argv.indexOf('--backlog');
const BACKLOG = backlogArg > 0 ? Number(process.argv[backlogArg + 1]) : quick ? 300 : 1_500;
// Note: catching up on a long backlog ends when the follower reaches the slot it was behind, or after this long.
const CATCH_UP_LIMIT_MS = 10 * 60_000;
const SIZES = quick ? [1, 1_000] : [1, 100, 1_000, 10_000];
const MODES: SolanaFollowMode[] = ['addresses', 'blocks'];
const SLOT_MS = 400;
// A trade counts as missed when it is older than this at the end of the run and still not stored.
const GRACE_SLOTS = 5;
const logger = pino({ level: 'silent' });

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function startNode(
  walletCount: number,
): Promise<{ url: string; stats(): Promise<NodeStats>; backlog(slots: number): Promise<number>; stop(): Promise<void> }> {
  const child = fork(new URL('./support/mainnetShapedSolanaNode.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, WALLETS: String(walletCount) },
  });
  const url = await new Promise<string>((resolve) => child.once('message', (message: { url: string }) => resolve(message.url)));
  return {
    url,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (message: NodeStats) => resolve(message));
        child.send({ type: 'stats' });
      }),
    backlog: (slots) =>
      new Promise((resolve) => {
        child.once('message', (message: { tip: number }) => resolve(message.tip));
        child.send({ type: 'backlog', slots });
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
}

async function run(walletCount: number, mode: SolanaFollowMode) {
  const node = await startNode(walletCount);
  const database = await createTestDatabase();
  await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
  const addresses = Array.from({ length: walletCount }, (_, i) => followedWallet(i));
  for (let i = 0; i < addresses.length; i += 1000) {
    await database.db
      .insert(wallets)
      .values(addresses.slice(i, i + 1000).map((address, j) => ({ workspaceId: 'local', chain: 'solana', address, label: `w${i + j}`, addedBy: 'bench' })));
  }
  const chain = localSolanaChain(node.url, { name: 'solana', blockTimeMs: SLOT_MS, followMode: mode });
  const events = createEventBus();
  const { worker: outbox, delivered } = timedConsoleOutbox({
    db: database.db,
    config: { chains: [chain], followed: [chain] } as LookoutConfig,
    logger,
    events,
    pollMs: 1_000,
  });
  outbox.start();
  const follower = createSolanaFollower({
    chain,
    db: database.db,
    logger,
    events,
    connection: new Connection(node.url, { commitment: 'confirmed', disableRetryOnRateLimit: true }),
  });
  const before = await node.stats();
  const startSlot = before.tip;
  const callsBefore = Object.values(before.stats.calls).reduce((sum, n) => sum + n, 0);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const cpuBefore = process.cpuUsage();
  follower.start();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const after = await node.stats();
  const cpu = process.cpuUsage(cpuBefore);
  // Alerts of the last slots may still be on their way: a second of grace before they are counted.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const latencies = after.published
    .filter((trade) => trade.slot > startSlot && delivered.has(trade.signature))
    .map((trade) => delivered.get(trade.signature)![0]! - trade.at);
  const alertDuplicates = [...delivered.values()].reduce((sum, times) => sum + times.length - 1, 0);
  await follower.stop();
  // Catch-up, in block mode: the follower is down while `BACKLOG` slots are made, then reads them all.
  let catchUp = NaN;
  if (mode === 'blocks' && BACKLOG > 0) {
    const target = await node.backlog(BACKLOG);
    const from = (await loadChainCursor(database.db, 'solana'))?.number ?? 0n;
    const started = performance.now();
    follower.start();
    let reached = from;
    while (reached < BigInt(target) && performance.now() - started < CATCH_UP_LIMIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      reached = (await loadChainCursor(database.db, 'solana'))?.number ?? from;
    }
    catchUp = Number(reached - from) / ((performance.now() - started) / 1000);
    await follower.stop();
  }
  await outbox.stop();
  clearInterval(sampler);

  const stored = await database.db.select({ txHash: trades.txHash, wallet: trades.wallet }).from(trades);
  const storedKeys = new Set(stored.map((row) => `${row.txHash} ${row.wallet}`));
  // Note: trades published from the start of the run on; a wallet is followed from the moment it is first read.
  const due = after.published.filter((trade) => trade.slot > startSlot && trade.slot <= after.tip - GRACE_SLOTS);
  const missed = due.filter((trade) => !storedKeys.has(`${trade.signature} ${trade.wallet}`));
  const duplicates = stored.length - storedKeys.size;
  const oldestMissing = missed.reduce((min, trade) => Math.min(min, trade.slot), Number.POSITIVE_INFINITY);
  const lagSlots = Number.isFinite(oldestMissing) ? after.tip - oldestMissing : 0;
  const slots = after.tip - startSlot;
  const calls = Object.values(after.stats.calls).reduce((sum, n) => sum + n, 0) - callsBefore;
  const bytes = after.stats.bytes - before.stats.bytes;
  const byMethod = Object.entries(after.stats.calls)
    .map(([method, n]) => [method, n - (before.stats.calls[method] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([method, n]) => `${method}=${n}`)
    .join(' ');
  await database.close();
  await node.stop();
  return {
    walletCount,
    mode,
    callsPerSlot: calls / slots,
    kbPerSlot: bytes / slots / 1024,
    limited: after.stats.limited - before.stats.limited,
    lagSeconds: (lagSlots * SLOT_MS) / 1000,
    due: due.length,
    missed: missed.length,
    duplicates: Math.max(duplicates, alertDuplicates),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    catchUp,
    cpuPerMinute: ((cpu.user + cpu.system) / 1e6) * (60 / SECONDS),
    peakRssMiB: peakRss / 1024 / 1024,
    byMethod,
  };
}

console.log(`Solana follower on a mainnet-shaped local node: ${SLOT_MS} ms slots, 1,000-1,500 transactions a block, 40 requests/s; ${SECONDS} s a run`);
console.log('wallets  mode       calls/slot  KiB/slot  429s  lag(s)  p50 ms  p99 ms  trades  missed  dup  cpu s/min  peak RSS MiB  catch-up slots/s  calls by method');
const results = [];
for (const size of SIZES) {
  for (const mode of MODES) {
    const result = await run(size, mode);
    results.push(result);
    console.log(
      `${String(size).padStart(7)}  ${mode.padEnd(9)}  ${result.callsPerSlot.toFixed(2).padStart(10)}  ${result.kbPerSlot.toFixed(0).padStart(8)}  ${String(result.limited).padStart(4)}  ${result.lagSeconds.toFixed(1).padStart(6)}  ${result.p50.toFixed(0).padStart(6)}  ${result.p99.toFixed(0).padStart(6)}  ${String(result.due).padStart(6)}  ${String(result.missed).padStart(6)}  ${String(result.duplicates).padStart(3)}  ${result.cpuPerMinute.toFixed(1).padStart(9)}  ${result.peakRssMiB.toFixed(0).padStart(12)}  ${(Number.isNaN(result.catchUp) ? '-' : result.catchUp.toFixed(1)).padStart(16)}  ${result.byMethod}`,
    );
  }
}
const blocks = results.filter((result) => result.mode === 'blocks');
const blockCalls = blocks.reduce((sum, result) => sum + result.callsPerSlot, 0) / blocks.length;
const blockKiB = blocks.reduce((sum, result) => sum + result.kbPerSlot, 0) / blocks.length;
// Per-address polling at the default 2 s costs a getSignaturesForAddress per wallet every 5 slots.
const pollCallsPerWalletSlot = SLOT_MS / 2_000;
console.log(
  `\ncrossover: block mode costs ${blockCalls.toFixed(2)} calls and ${blockKiB.toFixed(0)} KiB a slot whatever the wallet count; ` +
    `polling costs ${pollCallsPerWalletSlot} calls a slot per wallet, so by requests blocks win from ${Math.ceil(blockCalls / pollCallsPerWalletSlot)} wallets, ` +
    `and polling at 40 requests/s cannot keep up beyond ${Math.floor(40 / (1000 / 2_000))} wallets.`,
);

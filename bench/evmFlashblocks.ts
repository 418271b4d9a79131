/**
 * Preconfirmed alert latency over Flashblocks, against the sealed path, on anvil behind the local Flashblocks node
 * (test/support/evm/startFlashblocksNode.ts): each round builds one block with a native transfer to one of the
 * followed wallets, served at once through the `pending` tag and sealed `--seal-ms` later (2 s, Base's block
 * time). Latency runs from the moment the block is served as being built to the console sink's write, for the
 * follower woken by the endpoint's `newFlashblocks` WebSocket, reading the block being built every 200 ms (an
 * endpoint without a WebSocket), and without Flashblocks; duplicates and corrections are counted, and the bytes
 * the Flashblocks endpoint answered a block. `--others N` puts N more transfers between accounts that are not
 * followed in every block (default 100), as a busy chain has.
 *
 * Run: node --import tsx bench/evmFlashblocks.ts [--rounds 30] [--seal-ms 2000] [--wallets 10] [--others 100]
 *      [--paths pushed,polled,sealed]
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createConsoleSink } from '../src/bot/console/createConsoleSink.js';
import { createOutboxWorker } from '../src/bot/delivery/createOutboxWorker.js';
import type { EvmChainConfig } from '../src/config/chainPresets.js';
import type { LookoutConfig } from '../src/config/loadConfig.js';
import { loadChainCursor } from '../src/db/chainCursorQueries.js';
import { trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { createEvmFollower } from '../src/tracker/evm/createEvmFollower.js';
import { startAnvil } from '../test/support/evm/startAnvil.js';
import { startFlashblocksNode } from '../test/support/evm/startFlashblocksNode.js';
import { createTestDatabase } from '../test/support/testDatabase.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string' }, 'seal-ms': { type: 'string' }, wallets: { type: 'string' }, others: { type: 'string' }, paths: { type: 'string' } },
});
const rounds = Number(args.rounds ?? 30);
const sealMs = Number(args['seal-ms'] ?? 2_000);
const walletCount = Number(args.wallets ?? 10);
const others = Number(args.others ?? 100);
const paths = (args.paths ?? 'pushed,polled,sealed').split(',');
const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

console.log(
  `EVM alerts over Flashblocks on anvil: ${rounds} blocks of ${others + 1} transactions, each sealed ${sealMs} ms after it is served as being built; ${walletCount} followed wallets`,
);
console.log('path                alerts  preconf  p50 ms  p99 ms  max ms  dup  corrections  flashblocks KB a block');

for (const path of (['pushed', 'polled', 'sealed only'] as const).filter((name) => paths.includes(name.split(' ')[0]!))) {
  const flashblocks = path !== 'sealed only';
  const anvil = await startAnvil();
  await anvil.setAutomine(false);
  const [sender, bystander] = await anvil.rpc<string[]>('eth_accounts');
  await anvil.mine();
  const node = await startFlashblocksNode(anvil, { sealDelayMs: sealMs, websocket: path === 'pushed' });
  const database = await createTestDatabase();
  const followed = Array.from({ length: walletCount }, (_, i) => `0x${(0xf1a5e0_0000n + BigInt(i)).toString(16).padStart(40, '0')}`);
  await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
  for (const [i, address] of followed.entries()) {
    await trackWallet(database.db, { workspaceId: 'local', address, chains: ['flashbench'], label: `w${i}`, actor: 'bench' });
  }
  const chain: EvmChainConfig = {
    name: 'flashbench',
    kind: 'evm',
    chainId: anvil.chainId,
    rpcUrls: [node.url],
    wsUrl: null,
    nativeSymbol: 'ETH',
    nativeDecimals: 18,
    wrappedNative: null,
    stablecoins: [],
    explorer: 'https://basescan.org',
    blockTimeMs: sealMs,
    reorgWindow: 64,
    multicall3: null,
    maxBlockRange: 100,
    flashblocksUrl: flashblocks ? node.preconfUrl : null,
  };
  const events = createEventBus();
  const alerts: { tx: string; type: string; preconfirmed: boolean; at: number }[] = [];
  const outbox = createOutboxWorker({
    db: database.db,
    config: { chains: [chain], followed: [chain] } as LookoutConfig,
    logger,
    events,
    ...createConsoleSink({
      json: true,
      workspaceId: 'local',
      write: (text) => {
        const alert = JSON.parse(text) as { tx: string; type: string; preconfirmed?: boolean };
        alerts.push({ tx: alert.tx, type: alert.type, preconfirmed: alert.preconfirmed === true, at: Date.now() });
      },
    }),
  });
  const follower = createEvmFollower({ chain, db: database.db, logger, events });
  outbox.start();
  follower.start();
  while ((await loadChainCursor(database.db, chain.name))?.number !== node.sealed()) await sleep(20);

  const served = new Map<string, number>();
  const bytesBefore = node.bytes();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < others; i++) {
      const stranger = `0x${(0x5ca1e_0000n + BigInt(round * others + i)).toString(16).padStart(40, '0')}`;
      await anvil.rpc('eth_sendTransaction', [{ from: bystander, to: stranger, value: '0x1' }]);
    }
    const to = followed[round % followed.length]!;
    const hash = await anvil.rpc<string>('eth_sendTransaction', [{ from: sender, to, value: `0x${(10n ** 15n + BigInt(round)).toString(16)}` }]);
    const { minedAt } = await node.mine();
    served.set(hash, minedAt);
    // Note: a block is built only once the one before sealed; a pause of a random part of a flashblock keeps polls out of step.
    await sleep(Math.floor(Math.random() * 200));
  }
  const deadline = Date.now() + sealMs * 4 + 10_000;
  while (new Set(alerts.filter((alert) => alert.type === 'trade').map((alert) => alert.tx)).size < served.size && Date.now() < deadline) await sleep(50);
  await sleep(sealMs + 1_000);

  const first = new Map<string, { at: number; preconfirmed: boolean }>();
  for (const alert of alerts) if (alert.type === 'trade' && !first.has(alert.tx)) first.set(alert.tx, alert);
  const latencies = [...served].flatMap(([tx, at]) => (first.has(tx) ? [first.get(tx)!.at - at] : []));
  const trades = alerts.filter((alert) => alert.type === 'trade');
  const row = [
    (flashblocks ? `flashblocks ${path}` : path).padEnd(18),
    `${first.size}/${served.size}`.padStart(7),
    String([...first.values()].filter((alert) => alert.preconfirmed).length).padStart(8),
    String(percentile(latencies, 50)).padStart(7),
    String(percentile(latencies, 99)).padStart(7),
    String(Math.max(...latencies)).padStart(7),
    String(trades.length - first.size).padStart(4),
    String(alerts.filter((alert) => alert.type === 'correction').length).padStart(12),
    (flashblocks ? ((node.bytes() - bytesBefore) / rounds / 1024).toFixed(1) : '-').padStart(23),
  ];
  console.log(row.join(' '));

  await follower.stop();
  await outbox.stop();
  await node.stop();
  await anvil.stop();
  await database.close();
}

/**
 * What following Solana over a Yellowstone (Geyser) gRPC stream costs: JSON-RPC calls a slot once the stream is
 * open, the time from a trade's slot being streamed to the trade being stored, and missed or duplicate trades, for
 * 1, 1,000 and 10,000 followed wallets, at confirmed and at processed commitment. A local node and a local Geyser
 * server (test/support/solana) run in this process: a slot every 400 ms with one trade of a followed wallet (a real
 * pump.fun buy, signature and payer renamed). The server filters for the subscriber as a provider would, so
 * unfollowed transactions never reach Lookout and are left out; the startup listing of token accounts (one
 * getTokenAccountsByOwner a wallet) is counted apart.
 *
 * Run: node --import tsx bench/solanaGeyserCost.ts [--quick] [--seconds 30]
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Connection } from '@solana/web3.js';
import { pino } from 'pino';
import type { SolanaCommitment } from '../src/config/solanaFollowMode.js';
import { trades, wallets } from '../src/db/schema.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { createEventBus } from '../src/events/eventBus.js';
import { base58Encode } from '../src/tracker/solana/base58.js';
import { createSolanaFollower } from '../src/tracker/solana/createSolanaFollower.js';
import { readSolanaTransactions } from '../src/tracker/solana/readSolanaTransactionFile.js';
import { startGeyserServer } from '../test/support/solana/startGeyserServer.js';
import { startSolanaRpcServer } from '../test/support/solana/startSolanaRpcServer.js';
import { localSolanaChain } from '../test/support/solana/solanaFixtures.js';
import { createTestDatabase } from '../test/support/testDatabase.js';
import { followedWallet } from './support/followedWallet.js';

type JsonObject = Record<string, unknown>;

const quick = process.argv.includes('--quick');
const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : quick ? 10 : 30;
const SIZES = quick ? [1, 1_000] : [1, 1_000, 10_000];
const COMMITMENTS: SolanaCommitment[] = ['confirmed', 'processed'];
const SLOT_MS = 400;
const logger = pino({ level: 'silent' });

const template = readSolanaTransactions(
  JSON.parse(readFileSync(new URL('../test/fixtures/solana/0xjeffro_tx-parser/solana/data/pumpfun_buy_0.json', import.meta.url), 'utf8')),
)[0] as JsonObject;
let counter = 0;

/** The template under a new signature, its fee payer (and that payer's token balances) handed to `payer`. */
function renamed(payer: string): JsonObject {
  const from = ((template['transaction'] as JsonObject)['message'] as { accountKeys: string[] }).accountKeys[0]!;
  const tx = JSON.parse(JSON.stringify(template).split(from).join(payer)) as JsonObject;
  (tx['transaction'] as { signatures: string[] }).signatures[0] = base58Encode(createHash('sha512').update(`trade ${counter++}`).digest());
  return tx;
}

async function run(walletCount: number, commitment: SolanaCommitment) {
  const node = await startSolanaRpcServer({ startSlot: 330_000_000 });
  const geyser = await startGeyserServer(node);
  const database = await createTestDatabase();
  await ensureWorkspace(database.db, { id: 'local', platform: 'local', externalId: 'local' });
  const addresses = Array.from({ length: walletCount }, (_, i) => followedWallet(i));
  for (let i = 0; i < addresses.length; i += 1000) {
    await database.db
      .insert(wallets)
      .values(addresses.slice(i, i + 1000).map((address, j) => ({ workspaceId: 'local', chain: 'solana', address, label: `w${i + j}`, addedBy: 'bench' })));
  }
  const chain = localSolanaChain(node.url, { name: 'solana', blockTimeMs: SLOT_MS, grpcUrl: geyser.url, grpcToken: null, commitment });
  const follower = createSolanaFollower({
    chain,
    db: database.db,
    logger,
    events: createEventBus(),
    connection: new Connection(node.url, { commitment: 'confirmed', disableRetryOnRateLimit: true }),
  });
  const startedAt = Date.now();
  follower.start();
  while (geyser.filters().length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const startupMs = Date.now() - startedAt;
  const callsAtStart = { ...node.requests };
  const startSlot = node.slot();

  const publishedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const producer = setInterval(() => {
    const trade = renamed(followedWallet(counter % walletCount));
    const signature = (trade['transaction'] as { signatures: string[] }).signatures[0]!;
    publishedAt.set(signature, Date.now());
    geyser.publish(trade);
  }, SLOT_MS);
  const watcher = setInterval(async () => {
    for (const row of await database.db.select({ txHash: trades.txHash }).from(trades)) if (!seenAt.has(row.txHash)) seenAt.set(row.txHash, Date.now());
  }, 50);
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  clearInterval(producer);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  clearInterval(watcher);
  const slots = node.slot() - startSlot;
  const callsAfter = { ...node.requests };
  await follower.stop();

  const stored = await database.db.select({ txHash: trades.txHash }).from(trades);
  const lags = [...publishedAt].filter(([signature]) => seenAt.has(signature)).map(([signature, at]) => seenAt.get(signature)! - at);
  lags.sort((a, b) => a - b);
  const calls = Object.entries(callsAfter)
    .map(([method, n]) => [method, n - (callsAtStart[method] ?? 0)] as const)
    .filter(([, n]) => n > 0);
  const result = {
    walletCount,
    commitment,
    startupCalls: Object.values(callsAtStart).reduce((sum, n) => sum + n, 0),
    startupSeconds: startupMs / 1000,
    callsPerSlot: calls.reduce((sum, [, n]) => sum + n, 0) / slots,
    byMethod: calls.map(([method, n]) => `${method}=${n}`).join(' ') || '-',
    trades: publishedAt.size,
    missed: [...publishedAt.keys()].filter((signature) => !seenAt.has(signature)).length,
    duplicates: stored.length - new Set(stored.map((row) => row.txHash)).size,
    lagMedianMs: lags[Math.floor(lags.length / 2)] ?? NaN,
    lagMaxMs: lags.at(-1) ?? NaN,
  };
  await geyser.stop();
  await node.stop();
  await database.close();
  return result;
}

console.log(`Solana over a local Yellowstone gRPC stream: ${SLOT_MS} ms slots, one followed trade a slot; ${SECONDS} s a run`);
console.log('wallets  commitment  startup calls  startup s  calls/slot  trades  missed  dup  lag median ms  lag max ms  calls by method');
for (const size of SIZES) {
  for (const commitment of COMMITMENTS) {
    const r = await run(size, commitment);
    console.log(
      `${String(size).padStart(7)}  ${commitment.padEnd(10)}  ${String(r.startupCalls).padStart(13)}  ${r.startupSeconds.toFixed(1).padStart(9)}  ${r.callsPerSlot.toFixed(2).padStart(10)}  ${String(r.trades).padStart(6)}  ${String(r.missed).padStart(6)}  ${String(r.duplicates).padStart(3)}  ${String(r.lagMedianMs).padStart(13)}  ${String(r.lagMaxMs).padStart(10)}  ${r.byMethod}`,
    );
  }
}

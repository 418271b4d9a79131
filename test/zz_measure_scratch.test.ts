import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@solana/web3.js';
import { pino } from 'pino';
import { it } from 'vitest';
import { trackWallet } from '/work/main/src/db/walletQueries.js';
import { ensureWorkspace } from '/work/main/src/db/workspaceQueries.js';
import { createEventBus } from '/work/main/src/events/eventBus.js';
import { createSolanaFollower } from '/work/main/src/tracker/solana/createSolanaFollower.js';
import { decodeSolanaTransaction } from '/work/main/src/tracker/solana/decodeSolanaTransaction.js';
import { readSolanaTransactions } from '/work/main/src/tracker/solana/readSolanaTransactionFile.js';
import { CHAIN_PRESETS } from '/work/main/src/config/chainPresets.js';
import { startSolanaRpcServer } from '/work/main/test/support/solana/startSolanaRpcServer.js';
import { createTestDatabase } from '/work/main/test/support/testDatabase.js';

const root = '/work/shared/fixtures/solana';
it('measure', async () => {
  const entries = (JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as { signature: string; wallet: string; file: string }[]);
  const server = await startSolanaRpcServer();
  const db = await createTestDatabase();
  await ensureWorkspace(db.db, { id: 'local', platform: 'local', externalId: 'local' });
  const txs: unknown[] = [];
  const wallets = new Set<string>();
  for (const entry of entries) {
    try {
      const result = readSolanaTransactions(JSON.parse(readFileSync(join(root, entry.file), 'utf8'))).find((r) => { try { return decodeSolanaTransaction(r).signature === entry.signature; } catch { return false; } });
      if (!result) continue;
      txs.push(result); wallets.add(entry.wallet);
    } catch {}
  }
  let i = 0;
  for (const w of wallets) await trackWallet(db.db, { workspaceId: 'local', address: w, chains: ['solana'], label: `w${i++}`, actor: 't' });
  const chain = { ...CHAIN_PRESETS.find((c) => c.name === 'solana')!, rpcUrls: [server.url] };
  const connection = new Connection(server.url, { commitment: 'confirmed', disableRetryOnRateLimit: true });
  const follower = createSolanaFollower({ chain, db: db.db, logger: pino({ level: 'silent' }), events: createEventBus(), connection });
  const snap = () => ({ ...server.requests });
  const diff = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(b).map((k) => [k, (b[k] ?? 0) - (a[k] ?? 0)]).filter(([, v]) => v));
  let t = Date.now(); let a = snap();
  await follower.syncOnce();
  console.log('first sight', wallets.size, 'wallets', Date.now() - t, 'ms', diff(a, snap()));
  t = Date.now(); a = snap();
  await follower.syncOnce();
  console.log('idle round', Date.now() - t, 'ms', diff(a, snap()));
  const seen = new Set<string>();
  for (const tx of txs) { const s = decodeSolanaTransaction(tx).signature; if (seen.has(s)) continue; seen.add(s); server.publish(tx); }
  t = Date.now(); a = snap();
  const { stored } = await follower.syncOnce();
  const ms = Date.now() - t; const d = diff(a, snap());
  const total = Object.values(d).reduce((x, y) => x + y, 0);
  console.log('catch-up', seen.size, 'txs', stored.length, 'trades', ms, 'ms', (ms / seen.size).toFixed(1), 'ms/tx', d, 'calls/tx', (total / seen.size).toFixed(2));
  t = Date.now(); a = snap();
  await follower.syncOnce();
  console.log('idle round after', Date.now() - t, 'ms', diff(a, snap()));
  // one more tx, steady state
  await follower.stop(); await db.close(); await server.stop();
}, 120000);

import { readFileSync } from 'node:fs';
import { Connection, PublicKey } from '@solana/web3.js';
import { it } from 'vitest';
import { startSolanaRpcServer } from '/work/main/test/support/solana/startSolanaRpcServer.js';
import { readSolanaTransactions } from '/work/main/src/tracker/solana/readSolanaTransactionFile.js';

const dir = '/work/shared/fixtures/solana/jowency-me_solana-tx-parser/testdata/transactions/';
const fx = (n: string) => readSolanaTransactions(JSON.parse(readFileSync(dir + n, 'utf8')))[0] as any;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('quirks', async () => {
  const server = await startSolanaRpcServer();
  const c = new Connection(server.url, { commitment: 'confirmed', wsEndpoint: server.wsUrl });
  const seen: string[] = [];
  const w = 'GJvewfRjqTUPtx6WsBSUnaFbdgXwgXnWfpDyLm65T4YA';
  const id = c.onLogs(new PublicKey(w), (l) => seen.push(l.signature), 'confirmed');
  await sleep(300);
  server.publish(fx('swap_frlmh_2.json'));
  await sleep(200);
  console.log('seen1', seen.length, server.requests);
  const ws = (c as any)._rpcWebSocket;
  ws.on('open', () => console.log('open event'));
  ws.on('close', (code: number) => console.log('close event', code));
  server.dropSockets({ code: 1000 });
  await sleep(1500);
  server.publish(fx('swap_frlmh_via_jupiter_2.json'));
  await sleep(300);
  console.log('seen2', seen.length, server.sockets(), server.requests);
  // dispose: force-close with 4000 and no reconnect
  ws.setAutoReconnect(false);
  ws.close(4000, 'dispose');
  await sleep(50);
  await c.removeOnLogsListener(id);
  await sleep(1500);
  console.log('after dispose', server.sockets(), server.requests, Object.keys((c as any)._subscriptionsByHash));
  await server.stop();
}, 20000);

/**
 * A Solana JSON-RPC node shaped like mainnet for bench/solanaCost.ts, run as a child process so that its CPU is not
 * counted as Lookout's: a slot every 400 ms (about 5% skipped), 1,000–1,500 transactions a block in json (real
 * swaps with their signatures and keys renamed), one trade of a followed wallet every slot, and a limit of
 * `RATE_LIMIT` requests a second answered with 429. Stats and the trades it published go to the parent over IPC.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { base58Encode } from '../../src/tracker/solana/base58.js';
import { readSolanaTransactions } from '../../src/tracker/solana/readSolanaTransactionFile.js';
import { followedWallet } from './followedWallet.js';

type JsonObject = Record<string, unknown>;

const SLOT_MS = 400;
const SKIP_RATE = 0.05;
const RATE_LIMIT = Number(process.env['RATE_LIMIT'] ?? 40);
const WALLETS = Number(process.env['WALLETS'] ?? 1);
const START_SLOT = 320_000_000;
const FIXTURES = new URL('../../test/fixtures/solana/0xjeffro_tx-parser/solana/data/', import.meta.url);

const load = (name: string): JsonObject => readSolanaTransactions(JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')))[0] as JsonObject;
const tradeTemplate = load('pumpfun_buy_0.json');
const fillerTemplates = ['raydiumLiquidityPoolV4_swap_0.json', 'pumpfun_buy_0.json'].map(load);

let counter = 0;
const newKey = (size: number): string => base58Encode(createHash('sha512').update(`key ${counter++}`).digest().subarray(0, size));

/** A template with a new signature, its fee payer (and that payer's token balances) handed to `payer`. */
function renamed(template: JsonObject, payer: string): JsonObject {
  const from = ((template['transaction'] as JsonObject)['message'] as { accountKeys: string[] }).accountKeys[0]!;
  const text = JSON.stringify(template).split(from).join(payer);
  const tx = JSON.parse(text) as JsonObject;
  (tx['transaction'] as { signatures: string[] }).signatures[0] = newKey(64);
  delete tx['slot'];
  delete tx['blockTime'];
  return tx;
}

// Fillers: a pool of distinct transactions of unfollowed payers, reused across blocks (their sizes are real).
const fillers = Array.from({ length: 200 }, (_, i) => JSON.stringify(renamed(fillerTemplates[i % fillerTemplates.length]!, newKey(32))));
const versionedFillers = fillers.map((filler) => filler.replace(/}$/, ',"version":"legacy"}'));

// Note: a block's body is built when asked for, from its transaction count and where the trade sits, so a backlog of
// thousands of slots costs little memory.
type Block = { slot: number; blockTime: number; count: number; at: number; trade: { signature: string; wallet: string; json: JsonObject } | null };
const blocks = new Map<number, Block | 'skipped'>();
const bySigner = new Map<string, { signature: string; slot: number; blockTime: number }[]>();
const published: { signature: string; wallet: string; slot: number; at: number }[] = [];
let tip = START_SLOT;
blocks.set(tip, { slot: tip, blockTime: Math.floor(Date.now() / 1000), count: 0, at: -1, trade: null });

function produce(): void {
  const slot = ++tip;
  if (Math.random() < SKIP_RATE) return void blocks.set(slot, 'skipped');
  const blockTime = Math.floor(Date.now() / 1000);
  const wallet = followedWallet(slot % WALLETS);
  const trade = renamed(tradeTemplate, wallet);
  const signature = (trade['transaction'] as { signatures: string[] }).signatures[0]!;
  const count = 1_000 + Math.floor(Math.random() * 500);
  const at = Math.floor(Math.random() * count);
  blocks.set(slot, { slot, blockTime, count, at, trade: { signature, wallet, json: trade } });
  const list = bySigner.get(wallet) ?? [];
  list.unshift({ signature, slot, blockTime });
  bySigner.set(wallet, list);
  published.push({ signature, wallet, slot, at: Date.now() });
  // Old blocks are let go: a node serves recent ones (here a little over an hour of slots, for the catch-up figure).
  blocks.delete(slot - 12_000);
}
let producer = setInterval(produce, SLOT_MS);

const stats = { calls: {} as Record<string, number>, bytes: 0, limited: 0 };
let windowStart = Date.now();
let windowCalls = 0;

function blockJson(slot: number): string | { code: number; message: string } {
  if (slot > tip) return { code: -32004, message: `Block not available for slot ${slot}` };
  const block = blocks.get(slot);
  if (block === undefined || block === 'skipped') return { code: -32007, message: `Slot ${slot} was skipped, or missing due to ledger jump to recent snapshot` };
  const parts: string[] = [];
  for (let i = 0; i < block.count; i++) parts.push(i === block.at ? JSON.stringify({ ...block.trade!.json, version: 'legacy' }) : versionedFillers[(slot * 7 + i) % fillers.length]!);
  const body = `[${parts.join(',')}]`;
  return `{"blockHeight":${slot - 20_000_000},"blockTime":${block.blockTime},"blockhash":"${base58Encode(createHash('sha256').update(`b${slot}`).digest())}","parentSlot":${slot - 1},"previousBlockhash":"${base58Encode(createHash('sha256').update(`b${slot - 1}`).digest())}","transactions":${body}}`;
}

function answer(method: string, params: unknown[]): string | { code: number; message: string } {
  switch (method) {
    case 'getSlot':
      return String(tip);
    case 'getBlocks': {
      const start = params[0] as number;
      const end = Math.min(typeof params[1] === 'number' ? params[1] : tip, tip);
      const slots: number[] = [];
      for (let slot = start; slot <= end; slot++) if (blocks.get(slot) !== 'skipped') slots.push(slot);
      return JSON.stringify(slots);
    }
    case 'getBlock':
      return blockJson(params[0] as number);
    case 'getBlockTime': {
      const block = blocks.get(params[0] as number);
      return block && block !== 'skipped' ? String(block.blockTime) : { code: -32007, message: 'Slot was skipped' };
    }
    case 'getSignaturesForAddress': {
      const config = (params[1] ?? {}) as { until?: string; before?: string; limit?: number };
      let list = bySigner.get(params[0] as string) ?? [];
      if (config.before) list = list.slice(list.findIndex((entry) => entry.signature === config.before) + 1);
      if (config.until) {
        const until = list.findIndex((entry) => entry.signature === config.until);
        if (until >= 0) list = list.slice(0, until);
      }
      return JSON.stringify(list.slice(0, config.limit ?? 1000).map((entry) => ({ ...entry, err: null, memo: null, confirmationStatus: 'confirmed' })));
    }
    case 'getTransaction': {
      const entry = published.find((trade) => trade.signature === params[0]);
      const block = entry ? blocks.get(entry.slot) : undefined;
      if (!entry || !block || block === 'skipped' || !block.trade) return 'null';
      return JSON.stringify({ ...block.trade.json, slot: entry.slot, blockTime: block.blockTime, version: 'legacy' });
    }
    case 'getTokenAccountsByOwner':
      return JSON.stringify({ context: { slot: tip }, value: [] });
    case 'getMultipleAccounts':
      return JSON.stringify({ context: { slot: tip }, value: (params[0] as unknown[]).map(() => null) });
    case 'getAccountInfo':
      return JSON.stringify({ context: { slot: tip }, value: null });
    default:
      return { code: -32601, message: 'Method not found' };
  }
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    const calls = (Array.isArray(payload) ? payload : [payload]) as { id: unknown; method: string; params?: unknown[] }[];
    const now = Date.now();
    if (now - windowStart >= 1_000) [windowStart, windowCalls] = [now, 0];
    windowCalls += calls.length;
    for (const call of calls) stats.calls[call.method] = (stats.calls[call.method] ?? 0) + 1;
    let body: string;
    if (windowCalls > RATE_LIMIT) {
      stats.limited += calls.length;
      body = JSON.stringify({ jsonrpc: '2.0', error: { code: 429, message: 'Too many requests for a specific RPC call' }, id: null });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
    } else {
      const replies = calls.map((call) => {
        const result = answer(call.method, call.params ?? []);
        return typeof result === 'string'
          ? `{"jsonrpc":"2.0","result":${result},"id":${JSON.stringify(call.id)}}`
          : JSON.stringify({ jsonrpc: '2.0', error: result, id: call.id });
      });
      body = Array.isArray(payload) ? `[${replies.join(',')}]` : replies[0]!;
      res.writeHead(200, { 'content-type': 'application/json' });
    }
    stats.bytes += Buffer.byteLength(body);
    res.end(body);
  });
}

const server = createServer(handle);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}`, slot: tip });
});
process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', tip, stats, published });
  // Downtime: `slots` slots made at once (as if they were made while the follower was down), then the rhythm again.
  if (message.type === 'backlog') {
    clearInterval(producer);
    for (let i = 0; i < (message as { slots?: number }).slots!; i++) produce();
    producer = setInterval(produce, SLOT_MS);
    process.send?.({ type: 'backlog', tip });
  }
  if (message.type === 'stop') {
    clearInterval(producer);
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});

/**
 * A local JSON-RPC server shaped like a busy EVM mainnet: a block every `blockTimeMs` (on the wall clock's
 * multiples of it), ~250 transactions and ~2,000 ERC-20 Transfer logs a block between random addresses, a
 * 10,000-result cap on eth_getLogs, no call traces (so internal native coin is measured from balances), and an
 * optional per-second request limit answered with HTTP 429. A few "hot" wallets receive a stablecoin transfer
 * in every block and native coin in every fourth; the server remembers when each block became available and
 * which transactions touched a hot wallet, so that a benchmark can measure alert latency, misses and duplicates.
 * It counts calls and response bytes by method. On the same port it speaks JSON-RPC over WebSocket with
 * `eth_subscribe("newHeads")` (a notification as each block is made), unless told to refuse WebSockets.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
export const STABLE = '0x00000000000000000000000000000000000a11ce';

type Tx = Record<string, string | null> & { hash: string; from: string; to: string | null; value: string };
type Log = { address: string; topics: string[]; data: string; logIndex: string; transactionHash: string; transactionIndex: string; blockHash: string; blockNumber: string; removed: false };
type Block = { number: bigint; hash: string; parentHash: string; timestamp: number; txs: Tx[]; logs: Log[]; availableAt: number };

export type MainnetShapedRpc = {
  url: string;
  /** Makes `count` blocks at once (a backlog, as after downtime), without waiting for the clock. */
  mineBacklog(count: number): void;
  setHot(wallets: string[]): void;
  /** Serves newHeads over WebSocket (the default) or refuses every WebSocket, closing the open ones. */
  setNewHeads(on: boolean): void;
  head(): bigint;
  /** When each block was first served, and the transactions of each that touched a hot wallet. */
  block(number: bigint): { availableAt: number; hotTxs: string[] } | undefined;
  blockOfTx(hash: string): bigint | undefined;
  stats(): { calls: Map<string, number>; bytes: number; requests: number; limited: number };
  resetStats(): void;
  stop(): Promise<void>;
};

/** Blocks whose bodies are kept; older ones keep their header only. */
const KEEP_BODIES = 400;
const hex = (n: bigint | number) => `0x${n.toString(16)}`;
const word = (address: string) => `0x${address.slice(2).padStart(64, '0')}`;

export async function startMainnetShapedEvmRpc(options: { blockTimeMs?: number; txsPerBlock?: number; logsPerTx?: number; logCap?: number; requestsPerSecond?: number } = {}): Promise<MainnetShapedRpc> {
  const blockTimeMs = options.blockTimeMs ?? 2_000;
  const txsPerBlock = options.txsPerBlock ?? 250;
  const logsPerTx = options.logsPerTx ?? 8;
  const logCap = options.logCap ?? 10_000;
  let seed = 1;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const digest = (text: string) => `0x${createHash('sha256').update(text).digest('hex')}`;
  const randomAddress = () => digest(`a${random()}`).slice(0, 42);
  const tokens = Array.from({ length: 50 }, (_, i) => digest(`token${i}`).slice(0, 42));
  const blocks: Block[] = [];
  const byHash = new Map<string, Block>();
  const txIndex = new Map<string, { block: Block; index: number }>();
  /** Balance and nonce history of addresses that received or sent native coin: [block, balance, nonce]. */
  const history = new Map<string, [bigint, bigint, bigint][]>();
  let hot: string[] = [];
  const hotTxs = new Map<bigint, string[]>();
  const calls = new Map<string, number>();
  let bytes = 0;
  let requests = 0;
  let limited = 0;
  const window = { second: 0, count: 0 };
  let newHeadsOn = true;
  const headSubscribers = new Map<WebSocket, string>();

  const stateAt = (address: string, number: bigint): [bigint, bigint] => {
    const entries = history.get(address.toLowerCase());
    let state: [bigint, bigint] = [10n ** 20n, 0n];
    for (const [at, balance, nonce] of entries ?? []) if (at <= number) state = [balance, nonce];
    return state;
  };
  const moveNative = (address: string, number: bigint, delta: bigint, sent: boolean) => {
    const [balance, nonce] = stateAt(address, number);
    const entries = history.get(address) ?? [];
    const next: [bigint, bigint, bigint] = [number, balance + delta, nonce + (sent ? 1n : 0n)];
    if (entries.length > 0 && entries[entries.length - 1]![0] === number) entries[entries.length - 1] = next;
    else entries.push(next);
    history.set(address, entries);
  };

  function mine(timestamp: number): void {
    const number = BigInt(blocks.length);
    const parentHash = blocks.length > 0 ? blocks[blocks.length - 1]!.hash : `0x${'0'.repeat(64)}`;
    const hash = digest(`block${number}${parentHash}`);
    const block: Block = { number, hash, parentHash, timestamp, txs: [], logs: [], availableAt: 0 };
    const touched: string[] = [];
    const gasPrice = 1_000_000_000n;
    const gasUsed = 60_000n;
    for (let i = 0; i < txsPerBlock; i++) {
      const from = randomAddress();
      const nativeToHot = hot.length > 0 && i === 1 && number % 4n === 0n;
      const tokenToHot = hot.length > 0 && i === 0;
      const receiver = hot.length > 0 ? hot[Number(number) % hot.length]! : randomAddress();
      const token = tokenToHot ? STABLE : tokens[Math.floor(random() * tokens.length)]!;
      const to = nativeToHot ? receiver : token;
      const value = nativeToHot ? 10n ** 15n : 0n;
      const txHash = digest(`tx${number}:${i}`);
      const tx: Tx = {
        hash: txHash,
        from,
        to,
        value: hex(value),
        type: '0x2',
        nonce: '0x0',
        gas: hex(200_000),
        gasPrice: hex(gasPrice),
        maxFeePerGas: hex(gasPrice * 2n),
        maxPriorityFeePerGas: hex(1_000_000),
        input: nativeToHot ? '0x' : `0xa9059cbb${word(randomAddress()).slice(2)}${'0'.repeat(63)}1`,
        chainId: '0x2105',
        blockHash: hash,
        blockNumber: hex(number),
        transactionIndex: hex(i),
        v: '0x1',
        r: digest(`r${txHash}`),
        s: digest(`s${txHash}`),
      };
      block.txs.push(tx);
      txIndex.set(txHash, { block, index: i });
      moveNative(from, number, -(value + gasUsed * gasPrice), true);
      if (nativeToHot) {
        moveNative(receiver, number, value, false);
        touched.push(txHash);
        continue;
      }
      for (let j = 0; j < logsPerTx; j++) {
        const recipient = tokenToHot && j === 0 ? receiver : randomAddress();
        block.logs.push({
          address: tokenToHot && j === 0 ? STABLE : token,
          topics: [TRANSFER, word(tokenToHot && j === 0 ? from : randomAddress()), word(recipient)],
          data: word(hex(BigInt(Math.floor(random() * 1e9) + 1))),
          logIndex: hex(block.logs.length),
          transactionHash: txHash,
          transactionIndex: hex(i),
          blockHash: hash,
          blockNumber: hex(number),
          removed: false,
        });
      }
      if (tokenToHot) touched.push(txHash);
    }
    blocks.push(block);
    // Note: a follower never reads this far back; dropping old bodies keeps the server's memory flat over a long run.
    const old = blocks[blocks.length - 1 - KEEP_BODIES];
    if (old) {
      for (const tx of old.txs) txIndex.delete(tx.hash);
      old.txs = [];
      old.logs = [];
    }
    byHash.set(hash, block);
    hotTxs.set(number, touched);
    block.availableAt = Date.now();
    for (const [socket, subscription] of headSubscribers) {
      const { transactions: _, ...head } = header(block, false);
      const text = JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription, result: head } });
      bytes += Buffer.byteLength(text);
      socket.send(text);
    }
  }

  const header = (block: Block, full: boolean) => ({
    number: hex(block.number),
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: hex(block.timestamp),
    miner: '0x4200000000000000000000000000000000000011',
    gasLimit: hex(30_000_000),
    gasUsed: hex(15_000_000),
    baseFeePerGas: hex(1_000_000),
    stateRoot: digest(`state${block.hash}`),
    transactionsRoot: digest(`txroot${block.hash}`),
    receiptsRoot: digest(`rroot${block.hash}`),
    logsBloom: `0x${'0'.repeat(512)}`,
    extraData: '0x',
    transactions: full ? block.txs : block.txs.map((tx) => tx.hash),
  });
  const blockAt = (tag: string): Block | undefined => (tag === 'latest' ? blocks[blocks.length - 1] : blocks[Number(BigInt(tag))]);
  const abiString = (text: string) => `0x${word(hex(32)).slice(2)}${word(hex(text.length)).slice(2)}${Buffer.from(text).toString('hex').padEnd(64, '0')}`;

  function answer(method: string, params: unknown[]): unknown {
    switch (method) {
      case 'eth_chainId':
        return '0x2105';
      case 'eth_blockNumber':
        return hex(blocks.length - 1);
      case 'eth_getBlockByNumber': {
        const block = blockAt(params[0] as string);
        return block ? header(block, params[1] === true) : null;
      }
      case 'eth_getLogs': {
        const filter = params[0] as { fromBlock: string; toBlock: string; topics?: (string | string[] | null)[] };
        const wanted = (filter.topics ?? []).map((topic) => (topic === null ? null : new Set(Array.isArray(topic) ? topic : [topic])));
        const found: Log[] = [];
        for (let n = Number(BigInt(filter.fromBlock)); n <= Number(BigInt(filter.toBlock)) && n < blocks.length; n++) {
          for (const log of blocks[n]!.logs) {
            if (wanted.every((set, i) => set === null || set.has(log.topics[i] ?? ''))) found.push(log);
          }
          if (found.length > logCap) throw { code: -32005, message: `query returned more than ${logCap} results` };
        }
        return found;
      }
      case 'eth_getTransactionByHash': {
        const at = txIndex.get(params[0] as string);
        return at ? at.block.txs[at.index] : null;
      }
      case 'eth_getTransactionReceipt': {
        const at = txIndex.get(params[0] as string);
        if (!at) return null;
        const tx = at.block.txs[at.index]!;
        return {
          transactionHash: tx.hash,
          transactionIndex: tx.transactionIndex,
          blockHash: tx.blockHash,
          blockNumber: tx.blockNumber,
          from: tx.from,
          to: tx.to,
          status: '0x1',
          type: '0x2',
          gasUsed: hex(60_000),
          cumulativeGasUsed: hex(60_000 * (at.index + 1)),
          effectiveGasPrice: hex(1_000_000_000),
          contractAddress: null,
          logsBloom: `0x${'0'.repeat(512)}`,
          logs: at.block.logs.filter((log) => log.transactionHash === tx.hash),
        };
      }
      case 'eth_getBalance':
        return hex(stateAt(params[0] as string, BigInt(blockAt(params[1] as string)?.number ?? 0n))[0]);
      case 'eth_getTransactionCount':
        return hex(stateAt(params[0] as string, BigInt(blockAt(params[1] as string)?.number ?? 0n))[1]);
      case 'eth_call': {
        const call = params[0] as { to: string; data: string };
        const selector = call.data.slice(0, 10);
        const stable = call.to.toLowerCase() === STABLE;
        if (selector === '0x313ce567') return word(hex(stable ? 6 : 18));
        if (selector === '0x95d89b41') return abiString(stable ? 'USDX' : 'TKN');
        if (selector === '0x06fdde03') return abiString(stable ? 'USD Example' : 'Token');
        throw { code: -32000, message: 'execution reverted' };
      }
      default:
        throw { code: -32601, message: `the method ${method} does not exist/is not available` };
    }
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST') {
        response.writeHead(405).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number; method: string; params: unknown[] } | { id: number; method: string; params: unknown[] }[];
      if (!Array.isArray(body) && body.method.startsWith('bench_')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: body.id, result: control(body.method, body.params) }));
        return;
      }
      requests++;
      const second = Math.floor(Date.now() / 1000);
      if (second !== window.second) Object.assign(window, { second, count: 0 });
      if (options.requestsPerSecond !== undefined && ++window.count > options.requestsPerSecond) {
        limited++;
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' }).end('{"error":"rate limited"}');
        return;
      }
      const one = (call: { id: number; method: string; params: unknown[] }) => {
        calls.set(call.method, (calls.get(call.method) ?? 0) + 1);
        try {
          return { jsonrpc: '2.0', id: call.id, result: answer(call.method, call.params ?? []) };
        } catch (error) {
          return { jsonrpc: '2.0', id: call.id, error };
        }
      };
      const text = JSON.stringify(Array.isArray(body) ? body.map(one) : one(body));
      bytes += Buffer.byteLength(text);
      response.writeHead(200, { 'content-type': 'application/json' }).end(text);
    });
  }

  /** The benchmark's own calls (bench_*), neither counted nor rate limited: the server run in another process. */
  function control(method: string, params: unknown[]): unknown {
    switch (method) {
      case 'bench_setHot':
        api.setHot(params as string[]);
        return true;
      case 'bench_setNewHeads':
        api.setNewHeads(params[0] === true);
        return true;
      case 'bench_mineBacklog':
        api.mineBacklog(params[0] as number);
        return true;
      case 'bench_head':
        return api.head().toString();
      case 'bench_block':
        return api.block(BigInt(params[0] as string)) ?? null;
      case 'bench_stats': {
        const stats = api.stats();
        return { ...stats, calls: Object.fromEntries(stats.calls) };
      }
      case 'bench_resetStats':
        api.resetStats();
        return true;
      default:
        throw new Error(`no such control method ${method}`);
    }
  }

  const server = createServer(handle);
  const sockets = new WebSocketServer({ noServer: true });
  let subscriptionIds = 0;
  server.on('upgrade', (request, socket, head) => {
    // Note: refused, a follower that tries the WebSocket beside the RPC URL keeps polling aligned to the next block.
    if (!newHeadsOn) {
      socket.end('HTTP/1.1 405 Method Not Allowed\r\nconnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      ws.on('close', () => headSubscribers.delete(ws));
      ws.on('message', (data) => {
        const call = JSON.parse(String(data)) as { id: number; method: string; params?: unknown[] };
        calls.set(call.method, (calls.get(call.method) ?? 0) + 1);
        let reply: unknown;
        if (call.method === 'eth_subscribe' && call.params?.[0] === 'newHeads') {
          const subscription = hex(++subscriptionIds);
          headSubscribers.set(ws, subscription);
          reply = { jsonrpc: '2.0', id: call.id, result: subscription };
        } else if (call.method === 'eth_unsubscribe') {
          reply = { jsonrpc: '2.0', id: call.id, result: headSubscribers.delete(ws) };
        } else {
          try {
            reply = { jsonrpc: '2.0', id: call.id, result: answer(call.method, call.params ?? []) };
          } catch (error) {
            reply = { jsonrpc: '2.0', id: call.id, error };
          }
        }
        const text = JSON.stringify(reply);
        bytes += Buffer.byteLength(text);
        ws.send(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mine(Math.floor(Date.now() / 1000));
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const next = Math.ceil((Date.now() + 1) / blockTimeMs) * blockTimeMs;
    timer = setTimeout(() => {
      const last = blocks[blocks.length - 1]!.timestamp;
      mine(Math.max(Math.floor(next / 1000), last + 1));
      schedule();
    }, next - Date.now());
  };
  schedule();

  const api: MainnetShapedRpc = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mineBacklog(count) {
      for (let i = 0; i < count; i++) mine(blocks[blocks.length - 1]!.timestamp + Math.max(1, Math.round(blockTimeMs / 1000)));
    },
    setHot(wallets) {
      hot = wallets.map((wallet) => wallet.toLowerCase());
    },
    setNewHeads(on) {
      newHeadsOn = on;
      if (!on) for (const client of sockets.clients) client.terminate();
    },
    head: () => BigInt(blocks.length - 1),
    block(number) {
      const block = blocks[Number(number)];
      return block ? { availableAt: block.availableAt, hotTxs: hotTxs.get(number) ?? [] } : undefined;
    },
    blockOfTx: (hash) => txIndex.get(hash)?.block.number,
    stats: () => ({ calls: new Map(calls), bytes, requests, limited }),
    resetStats() {
      calls.clear();
      bytes = 0;
      requests = 0;
      limited = 0;
    },
    async stop() {
      clearTimeout(timer);
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

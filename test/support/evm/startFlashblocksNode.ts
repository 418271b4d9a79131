import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Anvil } from './startAnvil.js';

/**
 * A Flashblocks-speaking JSON-RPC node on 127.0.0.1 in front of anvil. A block mined through `mine` is the block being
 * built for `sealDelayMs`: the `pending` tag serves it at once (block, logs, balances; receipts with a zero block hash,
 * as Base's preconfirmation endpoints answer), while every sealed view (`latest`, `eth_blockNumber`, the block by
 * number or hash, logs up to it, state at it) still ends at the block before. Then it seals. Its WebSocket, on the
 * same port, serves `eth_subscribe("newFlashblocks")`: a notification as each block starts being built (off with
 * `websocket: false`, as an endpoint without one).
 */
export type FlashblocksNode = {
  url: string;
  /** The same node under `/preconf`, for the Flashblocks endpoint: what it answers there is counted in `bytes()`. */
  preconfUrl: string;
  /**
   * Mines what anvil's mempool holds into the block being built; it seals after the delay. Like a sequencer, it
   * builds a block only once the one before has sealed: a call while one is being built waits for that.
   */
  mine(): Promise<{ number: bigint; minedAt: number }>;
  /** Reverts anvil to a snapshot: a block being built above it never seals, and the next one built takes its number. */
  revert(snapshot: string): Promise<void>;
  /** The newest sealed block. */
  sealed(): bigint;
  /** Whether `debug_traceTransaction` answers for a transaction of the block being built (default yes; Base's may not). */
  tracePreconfirmed(on: boolean): void;
  /** Calls received of one method (`eth_subscribe` over the WebSocket included). */
  count(method: string): number;
  /** Bytes of the answers and notifications sent under `/preconf`, HTTP and WebSocket. */
  bytes(): number;
  stop(): Promise<void>;
};

type Request = { jsonrpc?: string; id?: unknown; method?: string; params?: unknown[] };
type Answer = { jsonrpc: '2.0'; id: unknown; result?: unknown; error?: { code: number; message: string } };

const ZERO_HASH = `0x${'0'.repeat(64)}`;
const hex = (value: bigint) => `0x${value.toString(16)}`;
const STATE_METHODS = new Set(['eth_getBalance', 'eth_getTransactionCount', 'eth_call', 'eth_getCode', 'eth_getStorageAt']);

export async function startFlashblocksNode(anvil: Anvil, options: { sealDelayMs?: number; websocket?: boolean } = {}): Promise<FlashblocksNode> {
  const sealDelayMs = options.sealDelayMs ?? 1_500;
  /** Open `newFlashblocks` subscriptions: the socket and the subscription's id. */
  const subscribers = new Map<WebSocket, string>();
  let sealed = BigInt(await anvil.rpc<string>('eth_blockNumber'));
  let building: bigint | null = null;
  let epoch = 0;
  let traceUnsealed = true;
  /** The transactions of the block being built. */
  let unsealed = new Set<string>();
  const counts = new Map<string, number>();
  let sentBytes = 0;
  /** Anvil mining the next block, if it is, and the calls forwarded to anvil not answered yet. */
  let mining: Promise<void> = Promise.resolve();
  let inFlight = 0;
  const sockets = new Set<Socket>();
  /** Sockets opened under `/preconf`, whose messages are counted. */
  const counted = new WeakSet<WebSocket>();
  /** Sends a WebSocket message, counting its bytes under `/preconf`. */
  const send = (client: WebSocket, message: unknown): void => {
    const text = JSON.stringify(message);
    if (counted.has(client)) sentBytes += Buffer.byteLength(text);
    client.send(text);
  };

  /** The call as anvil should get it, or the answer given here instead. */
  function rewrite(item: Request): { forward: Request } | { result: unknown } | { error: string } {
    const method = String(item.method);
    const params = Array.isArray(item.params) ? [...item.params] : [];
    const tagOf = (tag: unknown): { to: string } | 'unsealed' | 'none' => {
      if (tag === 'pending') return building === null ? { to: hex(sealed) } : { to: hex(building) };
      if (tag === undefined || tag === 'latest' || tag === 'safe' || tag === 'finalized') return { to: hex(sealed) };
      if (typeof tag === 'string' && tag.startsWith('0x')) return BigInt(tag) > sealed ? 'unsealed' : { to: tag };
      return 'none';
    };
    switch (method) {
      case 'debug_traceTransaction':
        return !traceUnsealed && unsealed.has(String(params[0])) ? { error: 'transaction not found' } : { forward: item };
      case 'eth_blockNumber':
        return { result: hex(sealed) };
      case 'eth_getBlockByNumber': {
        if (params[0] === 'pending' && building === null) return { result: null };
        const tag = tagOf(params[0]);
        if (tag === 'unsealed') return { result: null };
        if (tag !== 'none') params[0] = tag.to;
        return { forward: { ...item, params } };
      }
      case 'eth_getLogs': {
        const filter = { ...(params[0] as Record<string, unknown>) };
        if (filter['fromBlock'] === 'pending' || filter['toBlock'] === 'pending') {
          if (building === null) return { result: [] };
          filter['fromBlock'] = hex(building);
          filter['toBlock'] = hex(building);
        } else if (filter['blockHash'] === undefined) {
          const to = filter['toBlock'];
          if (to === undefined || to === 'latest' || (typeof to === 'string' && to.startsWith('0x') && BigInt(to) > sealed)) filter['toBlock'] = hex(sealed);
          const from = filter['fromBlock'];
          if (typeof from === 'string' && from.startsWith('0x') && BigInt(from) > sealed) return { result: [] };
        }
        return { forward: { ...item, params: [filter, ...params.slice(1)] } };
      }
      default: {
        if (!STATE_METHODS.has(method)) return { forward: item };
        const at = method === 'eth_getStorageAt' ? 2 : 1;
        const tag = tagOf(params[at]);
        if (tag === 'unsealed') return { error: 'header not found' };
        if (tag !== 'none') params[at] = tag.to;
        return { forward: { ...item, params } };
      }
    }
  }

  /** What the sealed view hides of a forwarded answer: a block by hash not sealed yet; a preconfirmed receipt's hash. */
  function conceal(method: string, result: unknown): unknown {
    const number = (result as { blockNumber?: string; number?: string } | null)?.[method === 'eth_getBlockByHash' ? 'number' : 'blockNumber'];
    if (typeof number !== 'string' || BigInt(number) <= sealed) return result;
    if (method === 'eth_getBlockByHash') return null;
    if (method === 'eth_getTransactionReceipt') return { ...(result as object), blockHash: ZERO_HASH };
    return result;
  }

  async function answer(body: unknown): Promise<unknown> {
    const batched = Array.isArray(body);
    const items = (batched ? body : [body]) as Request[];
    const plans = items.map((item) => {
      counts.set(String(item.method), (counts.get(String(item.method)) ?? 0) + 1);
      return rewrite(item);
    });
    const forwarded = plans.flatMap((plan) => ('forward' in plan ? [plan.forward] : []));
    const upstream = new Map<string, Answer>();
    // Note: anvil can answer a read at its newest block from the state of the block it is mining, which no node does;
    // calls wait while a block is mined, and a block is mined once the calls in flight are answered.
    await mining;
    if (forwarded.length > 0) {
      inFlight++;
      try {
        const response = await fetch(anvil.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forwarded) });
        for (const entry of (await response.json()) as Answer[]) upstream.set(JSON.stringify(entry.id), entry);
      } finally {
        inFlight--;
      }
    }
    const answers = items.map((item, i): Answer => {
      const plan = plans[i]!;
      const id = item.id ?? null;
      if ('result' in plan) return { jsonrpc: '2.0', id, result: plan.result };
      if ('error' in plan) return { jsonrpc: '2.0', id, error: { code: -32000, message: plan.error } };
      const entry = upstream.get(JSON.stringify(id)) ?? { jsonrpc: '2.0', id, error: { code: -32603, message: 'no upstream answer' } };
      return entry.result === undefined ? entry : { ...entry, result: conceal(String(item.method), entry.result) };
    });
    return batched ? answers : answers[0];
  }

  const server = createServer((request, response) => {
    void readBody(request)
      .then((text) => answer(JSON.parse(text)))
      .then((body) => {
        const text = JSON.stringify(body);
        if (request.url === '/preconf') sentBytes += Buffer.byteLength(text);
        response.writeHead(200, { 'content-type': 'application/json' }).end(text);
      })
      .catch((error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const webSockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (options.websocket === false) return void socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
    webSockets.handleUpgrade(request, socket, head, (client) => {
      if (request.url === '/preconf') counted.add(client);
      client.on('message', (data) => {
        const call = JSON.parse(String(data)) as Request;
        counts.set(String(call.method), (counts.get(String(call.method)) ?? 0) + 1);
        if (call.method === 'eth_subscribe' && call.params?.[0] === 'newFlashblocks') {
          const id = `0x${(subscribers.size + 1).toString(16).padStart(32, '0')}`;
          subscribers.set(client, id);
          send(client, { jsonrpc: '2.0', id: call.id, result: id });
        } else if (call.method === 'eth_unsubscribe') {
          subscribers.delete(client);
          send(client, { jsonrpc: '2.0', id: call.id, result: true });
        } else {
          send(client, { jsonrpc: '2.0', id: call.id, error: { code: -32601, message: 'only newFlashblocks is served here' } });
        }
      });
      client.on('close', () => subscribers.delete(client));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  /** Tells the subscribers a flashblock of block `number` was built, as Base's endpoints do (payload abridged). */
  function announce(number: bigint, transactions: string[]): void {
    for (const [client, subscription] of subscribers) {
      const result = { payload_id: hex(number), index: 0, base: { block_number: hex(number) }, diff: { transactions } };
      send(client, { jsonrpc: '2.0', method: 'eth_subscription', params: { subscription, result } });
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    preconfUrl: `http://127.0.0.1:${port}/preconf`,
    async mine() {
      while (building !== null) await new Promise((resolve) => setTimeout(resolve, 10));
      let mined!: () => void;
      mining = new Promise<void>((resolve) => (mined = resolve));
      try {
        while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 1));
        await anvil.mine();
      } finally {
        mined();
      }
      const number = BigInt(await anvil.rpc<string>('eth_blockNumber'));
      const minedAt = Date.now();
      const body = await anvil.rpc<{ transactions: string[] }>('eth_getBlockByNumber', [hex(number), false]);
      building = number;
      unsealed = new Set([...unsealed, ...body.transactions]);
      announce(number, body.transactions);
      const mark = ++epoch;
      setTimeout(() => {
        if (mark !== epoch) return;
        sealed = number;
        building = null;
        unsealed = new Set();
      }, sealDelayMs);
      return { number, minedAt };
    },
    async revert(snapshot) {
      await anvil.revert(snapshot);
      epoch++;
      building = null;
      unsealed = new Set();
      const head = BigInt(await anvil.rpc<string>('eth_blockNumber'));
      if (sealed > head) sealed = head;
    },
    sealed: () => sealed,
    tracePreconfirmed(on) {
      traceUnsealed = on;
    },
    count: (method) => counts.get(method) ?? 0,
    bytes: () => sentBytes,
    async stop() {
      epoch++;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of webSockets.clients) client.terminate();
      webSockets.close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocketServer } from 'ws';

import { createSimulatedLedger, type PublishOptions } from './simulatedLedger.js';
import { createSolanaPubsub } from './solanaPubsub.js';
import { createSolanaRpcMethods } from './solanaRpcMethods.js';
import { SolanaRpcError } from './solanaRpcError.js';
import { encodeSplTokenAccount } from './splTokenAccount.js';

type JsonObject = Record<string, unknown>;

/** How a faulty HTTP request fails: a JSON-RPC error in a 200, or an HTTP status. */
export type RpcFault = { code: number; message: string } | { httpStatus: 429 | 500 | 503 };

/** Where a published transaction landed. */
export type PublishedTransaction = { signature: string; slot: number; blockTime: number; accountKeys: string[] };

/** A token account for the simulated node, and the mint decimals used to parse it. */
export type SimulatedTokenAccount = {
  address: string;
  owner: string;
  mint: string;
  amount: bigint | number | string;
  decimals: number;
  /** SPL Token unless given (Token-2022 works too). */
  programId?: string;
  /** The rent-exempt minimum of a 165-byte account unless given. */
  lamports?: bigint | number;
};

/** Options of startSolanaRpcServer. */
export type StartSolanaRpcServerOptions = {
  /** The slot the chain starts at; the first published transaction lands in the next one. */
  startSlot?: number;
  /** The Retry-After header sent with a 429, in seconds. */
  retryAfterSeconds?: number;
};

/** A local Solana node for end-to-end tests: JSON-RPC over HTTP and pubsub over WebSocket. */
export type SolanaRpcServer = {
  /** http://127.0.0.1:P, for `new Connection(url)`. */
  url: string;
  /**
   * ws://127.0.0.1:P+1, where web3.js looks when given no `wsEndpoint`. The HTTP port
   * accepts WebSocket upgrades too.
   */
  wsUrl: string;
  /** The newest slot. */
  slot(): number;
  /**
   * Adds a getTransaction result (json, jsonParsed or base64) as if it just landed: a new
   * slot, or options.slot; blockTime now, or options.blockTime. It is found by every account
   * key it loads and notifies the logs subscribers that mention one of them.
   */
  publish(result: unknown, options?: PublishOptions): PublishedTransaction;
  /** What getRecentPrioritizationFees answers: the newest slots' fees in micro-lamports per CU, oldest first. */
  setPrioritizationFees(fees: readonly number[]): void;
  /** Marks slots as skipped: getBlock answers -32007 for them and getBlocks leaves them out. */
  skipSlots(slots: number[]): void;
  /** Moves the chain to `slot` with empty blocks (skipped slots stay skipped). */
  advanceTo(slot: number): void;
  /** Sets an account's lamports, creating a system account if there is none. */
  setBalance(address: string, lamports: bigint | number): void;
  setTokenAccount(account: SimulatedTokenAccount): void;
  setAccount(
    address: string,
    account: { data?: Uint8Array; owner: string; lamports: bigint | number; executable?: boolean },
  ): void;
  /** Makes the next `count` HTTP requests fail with `fault` (a 429 carries Retry-After). */
  failNext(count: number, fault: RpcFault): void;
  /** Closes every open WebSocket, abruptly unless given a close code; clients must reconnect. */
  dropSockets(options?: { code?: number }): void;
  /**
   * Takes the node down or brings it back. 'refuse' stops listening (connection refused);
   * 'unavailable' answers 503 to HTTP and to WebSocket upgrades. Open sockets are dropped.
   */
  setOffline(offline: boolean, mode?: 'refuse' | 'unavailable'): Promise<void>;
  /** Calls received per method, over HTTP and WebSocket, failed ones included. */
  readonly requests: Readonly<Record<string, number>>;
  /** WebSockets open now, and accepted since the start (a reconnection adds one). */
  sockets(): { open: number; accepted: number };
  stop(): Promise<void>;
};

const SYSTEM_PROGRAM = '11111111111111111111111111111111';
const SPL_TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
const TOKEN_ACCOUNT_RENT = 2_039_280n;
const HOST = '127.0.0.1';

/** Starts a simulated Solana node on free ports of 127.0.0.1. */
export async function startSolanaRpcServer(options: StartSolanaRpcServerOptions = {}): Promise<SolanaRpcServer> {
  const ledger = createSimulatedLedger({ startSlot: options.startSlot ?? 400_000_000 });
  let prioritizationFees: readonly number[] = [];
  const rpc = createSolanaRpcMethods(ledger, () => prioritizationFees);
  const requests: Record<string, number> = {};
  const countCall = (method: string): void => void (requests[method] = (requests[method] ?? 0) + 1);
  const pubsub = createSolanaPubsub(ledger, countCall);
  const wss = new WebSocketServer({ noServer: true });
  const faults: Array<{ remaining: number; fault: RpcFault }> = [];
  let offline: 'refuse' | 'unavailable' | null = null;

  const takeFault = (): RpcFault | undefined => {
    const next = faults[0];
    if (next === undefined) return undefined;
    if (--next.remaining <= 0) faults.shift();
    return next.fault;
  };

  const answer = (request: unknown): JsonObject => {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request' }, id: null };
    }
    const { id = null, method, params } = request as JsonObject;
    if (typeof method !== 'string') return { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request' }, id };
    try {
      return { jsonrpc: '2.0', result: rpc(method, params), id };
    } catch (error) {
      const rpcError = error instanceof SolanaRpcError ? error : new SolanaRpcError(-32603, `Internal error: ${String(error)}`);
      return { jsonrpc: '2.0', error: rpcError.toJSON(), id };
    }
  };

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (offline === 'unavailable') return sendText(res, 503, 'Service Unavailable');
    if (req.method === 'GET' && req.url === '/health') return sendText(res, 200, 'ok');
    if (req.method !== 'POST') return sendText(res, 405, 'Method Not Allowed');
    let payload: unknown;
    try {
      payload = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 200, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
    }
    const calls = Array.isArray(payload) ? payload : [payload];
    for (const call of calls) {
      const method = typeof call === 'object' && call !== null ? (call as JsonObject)['method'] : undefined;
      if (typeof method === 'string') countCall(method);
    }
    const fault = takeFault();
    if (fault !== undefined && 'httpStatus' in fault) return sendHttpFault(res, fault.httpStatus, options.retryAfterSeconds ?? 1);
    const reply = (call: unknown): JsonObject =>
      fault === undefined
        ? answer(call)
        : { jsonrpc: '2.0', error: { code: fault.code, message: fault.message }, id: idOf(call) };
    if (!Array.isArray(payload)) return sendJson(res, 200, reply(payload));
    if (payload.length === 0) {
      return sendJson(res, 200, { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request' }, id: null });
    }
    return sendJson(res, 200, payload.map(reply));
  };

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (offline !== null) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (webSocket) => pubsub.accept(webSocket));
  };

  const makeServer = (serveHttp: boolean): Server => {
    const server = createServer((req, res) => {
      if (!serveHttp) return sendText(res, 426, 'Upgrade Required');
      handleHttp(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendText(res, 500, String(error));
      });
    });
    server.on('upgrade', handleUpgrade);
    return server;
  };

  const { httpServer, pubsubServer, port } = await listenOnAdjacentPorts(makeServer);
  const servers = [httpServer, pubsubServer];

  return {
    url: `http://${HOST}:${port}`,
    wsUrl: `ws://${HOST}:${port + 1}`,
    slot: () => ledger.tip(),

    publish(result, publishOptions) {
      const tx = ledger.publish(result, publishOptions);
      return { signature: tx.signature, slot: tx.slot, blockTime: tx.blockTime, accountKeys: tx.accountKeys };
    },

    skipSlots: (slots) => ledger.skipSlots(slots),
    setPrioritizationFees: (fees) => void (prioritizationFees = [...fees]),
    advanceTo: (slot) => ledger.advanceTo(slot),

    setBalance(address, lamports) {
      const account = ledger.account(address) ?? { owner: SYSTEM_PROGRAM, data: Buffer.alloc(0), executable: false };
      ledger.setAccount(address, { ...account, lamports: BigInt(lamports) });
    },

    setTokenAccount(account) {
      ledger.setAccount(account.address, {
        lamports: BigInt(account.lamports ?? TOKEN_ACCOUNT_RENT),
        owner: account.programId ?? SPL_TOKEN_PROGRAM,
        data: encodeSplTokenAccount({ mint: account.mint, owner: account.owner, amount: BigInt(account.amount) }),
        executable: false,
      });
      ledger.setMintDecimals(account.mint, account.decimals);
    },

    setAccount(address, account) {
      ledger.setAccount(address, {
        lamports: BigInt(account.lamports),
        owner: account.owner,
        data: Buffer.from(account.data ?? new Uint8Array()),
        executable: account.executable ?? false,
      });
    },

    failNext(count, fault) {
      if (count > 0) faults.push({ remaining: count, fault });
    },

    dropSockets(dropOptions = {}) {
      pubsub.dropAll(dropOptions.code);
    },

    async setOffline(isOffline, mode = 'refuse') {
      const wasRefusing = offline === 'refuse';
      offline = isOffline ? mode : null;
      if (isOffline) pubsub.dropAll();
      if (offline === 'refuse' && !wasRefusing) await Promise.all(servers.map(closeServer));
      if (offline !== 'refuse' && wasRefusing) {
        await listen(httpServer, port);
        await listen(pubsubServer, port + 1);
      }
    },

    get requests() {
      return requests;
    },

    sockets: () => pubsub.sockets(),

    async stop() {
      pubsub.dropAll();
      await Promise.all(servers.map(closeServer));
      wss.close();
    },
  };
}

/**
 * Listens on a free port P for HTTP and on P + 1 for pubsub, retrying when P + 1 is taken:
 * web3.js derives the WebSocket address from the RPC URL that way.
 */
async function listenOnAdjacentPorts(
  makeServer: (serveHttp: boolean) => Server,
): Promise<{ httpServer: Server; pubsubServer: Server; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const httpServer = makeServer(true);
    await listen(httpServer, 0);
    const port = (httpServer.address() as { port: number }).port;
    const pubsubServer = makeServer(false);
    try {
      await listen(pubsubServer, port + 1);
      return { httpServer, pubsubServer, port };
    } catch (error) {
      await closeServer(httpServer);
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw error;
    }
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open until they idle out.
    server.closeAllConnections();
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function idOf(call: unknown): unknown {
  return typeof call === 'object' && call !== null ? ((call as JsonObject)['id'] ?? null) : null;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
}

function sendHttpFault(res: ServerResponse, status: 429 | 500 | 503, retryAfterSeconds: number): void {
  if (status === 429) {
    // Public nodes answer a rate limit with a JSON-RPC body and a Retry-After header.
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: 429, message: 'Too many requests for a specific RPC call' }, id: null }));
    return;
  }
  sendText(res, status, status === 500 ? 'Internal Server Error' : 'Service Unavailable');
}

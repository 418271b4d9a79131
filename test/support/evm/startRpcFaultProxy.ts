import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One JSON-RPC call as the proxy saw it: its method, its params, and its position in the HTTP request. */
export type ProxiedCall = { method: string; params: unknown[]; batched: boolean };

/**
 * What the proxy does instead of (or to) the upstream answer.
 * - `rpc_error`: the item answers `{ error: { code, message } }` (default -32603 "internal error").
 * - `result`: the item answers this result instead of the node's.
 * - `edit`: the item answers what `edit` makes of the node's result (to lag a block number, hide a log).
 * - `null_result`: the item answers `{ result: null }`, like a node that has not seen the block or tx yet.
 * - `drop`: the item is missing from the batch answer (a single call gets an empty body).
 * - `http_status`: the whole HTTP request answers this status (500, 429, 503...) with a plain-text body.
 * - `malformed`: the whole HTTP request answers 200 with a body that is not JSON.
 * - `hang`: the whole HTTP request gets no answer for `ms` (default: until the proxy stops), then it is cut.
 */
export type RpcFault =
  | { type: 'rpc_error'; code?: number; message?: string; data?: unknown }
  | { type: 'result'; result: unknown }
  | { type: 'edit'; edit: (upstream: unknown, call: ProxiedCall) => unknown }
  | { type: 'null_result' }
  | { type: 'drop' }
  | { type: 'http_status'; status: number; retryAfter?: string }
  | { type: 'malformed' }
  | { type: 'hang'; ms?: number };

/** Which calls a rule aims at; every field narrows it. */
export type FaultRule = {
  fault: RpcFault;
  /** Only calls of this method (or these methods). */
  method?: string | string[];
  /** Only calls whose params this returns true for. */
  when?: (params: unknown[], call: ProxiedCall) => boolean;
  /** Fire from the nth matching call on (1-based, default 1): `nth: 2` lets the first one through. */
  nth?: number;
  /** How many matching calls it fails (default 1); `Infinity` until removed. */
  times?: number;
};

/** A rule once added: how often it fired, and a way to lift it early. */
export type FaultHandle = { readonly fired: () => number; readonly seen: () => number; remove(): void };

/** Random faults: each matching call fails with probability `rate`, with one of `faults` picked at random. */
export type ChaosOptions = {
  rate: number;
  faults: RpcFault[];
  method?: string | string[];
  /** How long the chaos lasts (default: until removed). */
  durationMs?: number;
  /** A seeded generator makes a run repeatable; default Math.random. */
  random?: () => number;
};

/** A JSON-RPC proxy on 127.0.0.1 in front of a real node, failing the calls it is told to. */
export type RpcFaultProxy = {
  url: string;
  port: number;
  /** Fails the calls the rule aims at; rules are checked in the order added, the first that fires wins. */
  fail(rule: FaultRule): FaultHandle;
  /** Fails calls at random for a while; the handle's `fired` counts the faults injected. */
  chaos(options: ChaosOptions): FaultHandle;
  /** Lifts every rule and chaos window; calls pass through again. */
  clear(): void;
  /** Every call received, in order, with the fault it got (if any). */
  readonly log: (ProxiedCall & { fault: RpcFault['type'] | null })[];
  /** Calls received of one method. */
  count(method: string): number;
  /** Closes the server and cuts any hanging request. */
  stop(): Promise<void>;
};

type Rule = { match: (call: ProxiedCall) => boolean; pick: () => RpcFault | null; seen: number; fired: number; removed: boolean };
type Answer = { jsonrpc: '2.0'; id: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } };
type Request = { jsonrpc?: string; id?: unknown; method?: string; params?: unknown[] };

const WHOLE_REQUEST: ReadonlySet<RpcFault['type']> = new Set(['http_status', 'malformed', 'hang']);

/**
 * Starts an HTTP JSON-RPC proxy on 127.0.0.1 (a free port) in front of `upstream` (an anvil URL).
 * Single calls and batches pass through unchanged unless a rule or a chaos window fails them:
 *
 * ```ts
 * const proxy = await startRpcFaultProxy(anvil.url);
 * proxy.fail({ method: 'eth_call', fault: { type: 'rpc_error' } });              // the next eth_call
 * proxy.fail({ method: 'debug_traceTransaction', nth: 2, fault: { type: 'http_status', status: 500 } });
 * proxy.fail({ method: 'eth_getBlockByNumber', when: ([tag]) => tag === '0x10', fault: { type: 'null_result' }, times: 3 });
 * proxy.chaos({ rate: 0.2, faults: [{ type: 'hang', ms: 2_000 }, { type: 'drop' }], durationMs: 10_000 });
 * ```
 *
 * In a batch, item faults (`rpc_error`, `result`, `edit`, `null_result`, `drop`) hit their item only and the rest is
 * forwarded as one batch; a whole-request fault (`http_status`, `malformed`, `hang`) on any item fails the batch.
 */
export async function startRpcFaultProxy(upstream: string): Promise<RpcFaultProxy> {
  const rules: Rule[] = [];
  const log: RpcFaultProxy['log'] = [];
  const sockets = new Set<Socket>();
  const hanging = new Set<() => void>();

  const addRule = (rule: Rule): FaultHandle => {
    rules.push(rule);
    return {
      fired: () => rule.fired,
      seen: () => rule.seen,
      remove: () => void (rule.removed = true),
    };
  };

  function faultFor(call: ProxiedCall): RpcFault | null {
    for (const rule of rules) {
      if (rule.removed || !rule.match(call)) continue;
      rule.seen++;
      const fault = rule.pick();
      if (fault) {
        rule.fired++;
        return fault;
      }
    }
    return null;
  }

  async function forward(body: unknown): Promise<unknown> {
    const response = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return response.json();
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }));
      return;
    }
    const batched = Array.isArray(parsed);
    const items = (batched ? parsed : [parsed]) as Request[];
    const calls = items.map((item) => ({ method: String(item.method), params: Array.isArray(item.params) ? item.params : [], batched }));
    const faults = calls.map((call) => {
      const fault = faultFor(call);
      log.push({ ...call, fault: fault?.type ?? null });
      return fault;
    });

    const whole = faults.find((fault) => fault !== null && WHOLE_REQUEST.has(fault.type));
    if (whole?.type === 'http_status') {
      response.writeHead(whole.status, { 'content-type': 'text/plain', ...(whole.retryAfter ? { 'retry-after': whole.retryAfter } : {}) });
      response.end(`injected HTTP ${whole.status}`);
      return;
    }
    if (whole?.type === 'malformed') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":');
      return;
    }
    if (whole?.type === 'hang') {
      await new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          hanging.delete(release);
          resolve();
        };
        const timer = whole.ms === undefined ? undefined : setTimeout(release, whole.ms);
        hanging.add(release);
      });
      request.socket.destroy();
      return;
    }

    // Items answered upstream: those without a fault, and those whose fault edits the upstream result.
    const upstreamIndexes = items.flatMap((_, i) => {
      const fault = faults[i];
      return fault === null || fault?.type === 'edit' ? [i] : [];
    });
    const upstreamAnswers = new Map<number, Answer>();
    if (upstreamIndexes.length > 0) {
      const forwarded = upstreamIndexes.map((i) => items[i]!);
      const answer = await forward(batched ? forwarded : forwarded[0]);
      const list = (Array.isArray(answer) ? answer : [answer]) as Answer[];
      const byId = new Map(list.map((entry) => [JSON.stringify(entry.id), entry]));
      for (const i of upstreamIndexes) {
        const entry = byId.get(JSON.stringify(items[i]!.id)) ?? (list.length === 1 ? list[0] : undefined);
        if (entry) upstreamAnswers.set(i, entry);
      }
    }

    const answers: Answer[] = [];
    items.forEach((item, i) => {
      const fault = faults[i] ?? null;
      const id = item.id ?? null;
      if (fault === null) {
        const entry = upstreamAnswers.get(i);
        if (entry) answers.push(entry);
        return;
      }
      switch (fault.type) {
        case 'rpc_error':
          answers.push({
            jsonrpc: '2.0',
            id,
            error: { code: fault.code ?? -32603, message: fault.message ?? 'injected internal error', ...(fault.data === undefined ? {} : { data: fault.data }) },
          });
          return;
        case 'null_result':
          answers.push({ jsonrpc: '2.0', id, result: null });
          return;
        case 'result':
          answers.push({ jsonrpc: '2.0', id, result: fault.result });
          return;
        case 'edit': {
          const entry = upstreamAnswers.get(i);
          answers.push(entry?.error ? entry : { jsonrpc: '2.0', id, result: fault.edit(entry?.result, calls[i]!) });
          return;
        }
        case 'drop':
          return;
        case 'http_status':
        case 'malformed':
        case 'hang':
          throw new Error(`fault ${fault.type} applies to a whole request`);
      }
    });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(batched ? JSON.stringify(answers) : answers[0] ? JSON.stringify(answers[0]) : '');
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return;
      response.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy could not reach the node: ${String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    count: (method) => log.filter((call) => call.method === method).length,
    fail(rule) {
      const nth = rule.nth ?? 1;
      const times = rule.times ?? 1;
      const methods = rule.method === undefined ? null : new Set([rule.method].flat());
      const state: Rule = {
        match: (call) => (methods === null || methods.has(call.method)) && (rule.when?.(call.params, call) ?? true),
        pick: () => (state.seen >= nth && state.fired < times ? rule.fault : null),
        seen: 0,
        fired: 0,
        removed: false,
      };
      return addRule(state);
    },
    chaos(options) {
      const random = options.random ?? Math.random;
      const methods = options.method === undefined ? null : new Set([options.method].flat());
      const until = options.durationMs === undefined ? Infinity : Date.now() + options.durationMs;
      return addRule({
        match: (call) => Date.now() < until && (methods === null || methods.has(call.method)),
        pick: () => (random() < options.rate ? options.faults[Math.floor(random() * options.faults.length)] ?? null : null),
        seen: 0,
        fired: 0,
        removed: false,
      });
    },
    clear() {
      for (const rule of rules) rule.removed = true;
    },
    async stop() {
      for (const release of [...hanging]) release();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
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

import { setTimeout as sleep } from 'node:timers/promises';
import { LookoutError, RetryableError } from '../../errors/LookoutError.js';
import { redactUrl, type Logger } from '../../logger.js';
import { backoffDelay } from '../backoff.js';

/** An error the node answered with: not retried, since asking again gets the same answer. */
export class RpcResponseError extends LookoutError {
  override name = 'RpcResponseError';
  readonly code: number;
  /** The URL of the endpoint that answered (never logged as is: see redactUrl). */
  endpoint: string | undefined;
  constructor(method: string, code: number, message: string, data?: unknown) {
    super(`The RPC refused ${method}: ${message}`, {
      action: 'stop',
      details: data === undefined ? undefined : JSON.stringify(data),
    });
    this.code = code;
  }
}

export type RpcCall = { method: string; params: unknown[] };

export type JsonRpcClient = {
  request<T>(method: string, params: unknown[]): Promise<T>;
  /**
   * Sends calls as JSON-RPC batches; answers come back in the order asked. `otherEndpoint` asks another
   * endpoint than the one in use first, when there are several: a second opinion.
   */
  batch<T>(calls: RpcCall[], options?: { otherEndpoint?: boolean }): Promise<T[]>;
  /** Calls made per method (each call of a batch counts), for benchmarks and tests. */
  readonly calls: Map<string, number>;
  /** HTTP requests sent, retries included. */
  readonly httpRequests: () => number;
  /** How many endpoints the client fails over between: what one of them says is not what all say. */
  readonly endpoints: number;
};

export type JsonRpcClientOptions = {
  urls: string[];
  logger: Logger;
  timeoutMs?: number;
  /** Rounds over every URL before giving up with a RetryableError. */
  maxRounds?: number;
  baseDelayMs?: number;
  maxBatchSize?: number;
  /** Told of every HTTP request sent, retries included: its method (`batch` for a mixed batch), outcome and duration. */
  onRequest?(method: string, outcome: 'ok' | 'error', seconds: number): void;
};

/** A node's answer that means "busy or limited, ask again later" rather than "this request is wrong". */
function isRateLimit(error: RpcResponseError): boolean {
  return error.code === 429 || /rate limit|too many requests|exceeded .*capacity/i.test(error.message);
}

/**
 * A JSON-RPC client over several URLs: a timeout on every call, failover to the next URL, retries with
 * exponential backoff and jitter for retryable faults only, and a dead endpoint reported once, then
 * again when it recovers.
 */
export function createJsonRpcClient(options: JsonRpcClientOptions): JsonRpcClient {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRounds = options.maxRounds ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 250;
  const maxBatchSize = options.maxBatchSize ?? 50;
  const endpoints = options.urls.map((url) => ({ url, down: false }));
  const calls = new Map<string, number>();
  let httpRequests = 0;
  let nextId = 1;
  let preferred = 0;

  // Note: a fetch error quotes the URL it refused, key and all.
  const withoutUrls = (text: string) => endpoints.reduce((scrubbed, endpoint) => scrubbed.replaceAll(endpoint.url, redactUrl(endpoint.url)), text);

  const count = (batch: RpcCall[]) => {
    for (const call of batch) calls.set(call.method, (calls.get(call.method) ?? 0) + 1);
  };

  async function post(url: string, body: unknown): Promise<unknown> {
    httpRequests++;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 429 || response.status >= 500) {
      throw new RetryableError(`HTTP ${response.status}`, {
        details: response.headers.get('retry-after') ?? undefined,
      });
    }
    if (!response.ok) throw new RetryableError(`HTTP ${response.status}`);
    return response.json();
  }

  async function send(batch: RpcCall[], otherEndpoint = false): Promise<unknown[]> {
    const ids = batch.map(() => nextId++);
    const body = batch.map((call, i) => ({ jsonrpc: '2.0', id: ids[i], method: call.method, params: call.params }));
    let lastError: unknown;
    for (let round = 0; round < maxRounds; round++) {
      const first = otherEndpoint && endpoints.length > 1 ? 1 : 0;
      for (let offset = first; offset < first + endpoints.length; offset++) {
        const index = (preferred + offset) % endpoints.length;
        const endpoint = endpoints[index]!;
        const started = performance.now();
        try {
          const answer = await post(endpoint.url, body.length === 1 ? body[0] : body);
          const results = unpack(answer, ids, batch);
          options.onRequest?.(methodOf(batch), 'ok', (performance.now() - started) / 1000);
          if (endpoint.down) {
            endpoint.down = false;
            options.logger.info({ rpc: redactUrl(endpoint.url) }, 'rpc endpoint recovered');
          }
          if (!otherEndpoint) preferred = index;
          return results;
        } catch (error) {
          options.onRequest?.(methodOf(batch), 'error', (performance.now() - started) / 1000);
          if (error instanceof RpcResponseError) error.endpoint = endpoint.url;
          if (error instanceof RpcResponseError && !isRateLimit(error)) throw error;
          lastError = error;
          if (!endpoint.down) {
            endpoint.down = true;
            options.logger.warn({ rpc: redactUrl(endpoint.url), err: withoutUrls(describe(error)) }, 'rpc endpoint failing');
          }
        }
      }
      await sleep(backoffDelay(round, baseDelayMs, 30_000));
    }
    throw new RetryableError(`No RPC endpoint answered ${batch[0]?.method ?? 'the request'}.`, {
      details: withoutUrls(describe(lastError)),
      cause: lastError,
    });
  }

  return {
    calls,
    httpRequests: () => httpRequests,
    endpoints: endpoints.length,
    async request<T>(method: string, params: unknown[]): Promise<T> {
      count([{ method, params }]);
      const [result] = await send([{ method, params }]);
      return result as T;
    },
    async batch<T>(batchCalls: RpcCall[], batchOptions: { otherEndpoint?: boolean } = {}): Promise<T[]> {
      count(batchCalls);
      const results: unknown[] = [];
      for (let i = 0; i < batchCalls.length; i += maxBatchSize) {
        results.push(...(await send(batchCalls.slice(i, i + maxBatchSize), batchOptions.otherEndpoint)));
      }
      return results as T[];
    },
  };
}

/** The method a request is counted under: its calls' method, or `batch` when they differ. */
function methodOf(batch: RpcCall[]): string {
  const method = batch[0]?.method ?? 'none';
  return batch.every((call) => call.method === method) ? method : 'batch';
}

type RpcAnswer = { id?: number; result?: unknown; error?: { code: number; message: string; data?: unknown } };

function unpack(answer: unknown, ids: number[], batch: RpcCall[]): unknown[] {
  const answers = (Array.isArray(answer) ? answer : [answer]) as RpcAnswer[];
  const byId = new Map(answers.map((entry) => [entry?.id, entry]));
  return ids.map((id, i) => {
    const entry = byId.get(id) ?? (answers.length === 1 && ids.length === 1 ? answers[0] : undefined);
    if (!entry || typeof entry !== 'object') throw new RetryableError('The RPC sent an answer without the result asked for.');
    if (entry.error) throw new RpcResponseError(batch[i]!.method, entry.error.code, entry.error.message, entry.error.data);
    return entry.result;
  });
}

function describe(error: unknown): string {
  if (error instanceof LookoutError) return error.details ? `${error.message} (${error.details})` : error.message;
  if (error instanceof Error) return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
  return String(error);
}

import { RetryableError } from '../errors/LookoutError.js';
import type { OnRpcRequest } from './rpcMetrics.js';

/** A read-only REST API of a chain (Esplora, Horizon), over several base URLs that fail over in order. */
export type HttpApiClient = {
  /** The body of GET `path` as JSON; null when every URL answered 404 (the API does not know it). */
  json<T>(path: string, method: string): Promise<T | null>;
  /** The body of GET `path` as trimmed text; null on 404. */
  text(path: string, method: string): Promise<string | null>;
};

export type HttpApiClientOptions = {
  urls: readonly string[];
  /** How people call the API in messages: Esplora, Horizon. */
  name: string;
  onRequest?: OnRpcRequest | undefined;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

/**
 * GETs from the first base URL that answers. Note: the URL that answered last is asked first next time, so that
 * blocks and address histories come from one backend while it answers (two backends may be a block apart).
 * Network faults, timeouts, 429 and 5xx move to the next URL; when none answers a RetryableError is thrown.
 */
export function createHttpApiClient(options: HttpApiClientOptions): HttpApiClient {
  const urls = options.urls.map((url) => url.replace(/\/+$/, ''));
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  let preferred = 0;

  async function get(path: string, method: string): Promise<string | null> {
    let lastProblem = '';
    let notFound = 0;
    for (let attempt = 0; attempt < urls.length; attempt++) {
      const index = (preferred + attempt) % urls.length;
      const started = performance.now();
      let outcome: 'ok' | 'error' = 'error';
      try {
        const response = await fetchFn(`${urls[index]}${path}`, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json, text/plain' } });
        const body = await response.text();
        if (response.status === 404) {
          outcome = 'ok';
          notFound++;
          continue;
        }
        if (!response.ok) {
          lastProblem = `HTTP ${response.status}: ${body.slice(0, 200)}`;
          continue;
        }
        outcome = 'ok';
        preferred = index;
        return body;
      } catch (error) {
        lastProblem = error instanceof Error ? error.message : String(error);
      } finally {
        options.onRequest?.(method, outcome, (performance.now() - started) / 1000);
      }
    }
    if (notFound > 0 && notFound === urls.length) return null;
    throw new RetryableError(`The ${options.name} API did not answer; asking again later.`, { details: `GET ${path}: ${lastProblem}` });
  }

  return {
    async json<T>(path: string, method: string) {
      const body = await get(path, method);
      if (body === null) return null;
      try {
        return JSON.parse(body) as T;
      } catch (cause) {
        throw new RetryableError(`The ${options.name} API answered something that is not JSON; asking again later.`, { details: `GET ${path}`, cause });
      }
    },
    async text(path, method) {
      const body = await get(path, method);
      return body === null ? null : body.trim();
    },
  };
}

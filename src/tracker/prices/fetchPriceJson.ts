import { LookoutError, RetryableError } from '../../errors/LookoutError.js';
import { parseJsonNumbersAsText } from './parseJsonNumbersAsText.js';

export type FetchPriceJsonOptions = {
  /** The fetch to use; the global one by default. */
  fetch?: typeof fetch | undefined;
  timeoutMs?: number | undefined;
  headers?: Record<string, string>;
  /** HTTP statuses that mean "no such coin" rather than a failure: the answer is then null. */
  notFound?: readonly number[];
};

/**
 * GETs a price API's JSON with every number kept as its text. Throws RetryableError when the API is
 * unreachable, rate-limited (429), failing (5xx) or answers something that is not JSON, and a LookoutError
 * with action `stop` when it refuses the request (`settings` says what to check).
 */
export async function fetchPriceJson(url: string, name: string, settings: string, options: FetchPriceJsonOptions = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { accept: 'application/json', ...options.headers },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (cause) {
    throw new RetryableError(`The ${name} price API did not answer.`, { details: String(cause), cause });
  }
  const body = await response.text();
  if (response.status === 429 || response.status >= 500) {
    throw new RetryableError(`The ${name} price API is busy or failing (HTTP ${response.status}).`, { details: body.slice(0, 300) });
  }
  if (options.notFound?.includes(response.status)) return null;
  if (!response.ok) {
    throw new LookoutError(`The ${name} price API refused the request (HTTP ${response.status}); check ${settings}.`, {
      action: 'stop',
      details: body.slice(0, 300),
    });
  }
  try {
    return parseJsonNumbersAsText(body);
  } catch (cause) {
    throw new RetryableError(`The ${name} price API answered something that is not JSON.`, { details: body.slice(0, 300), cause });
  }
}

import * as ccxt from 'ccxt';

/**
 * What a failed call to an exchange means for the sync: `refused` (the key is wrong, revoked or lacks reading: stop
 * until it is added again), or `retry` (a rate limit, an outage, a network fault: back off and keep the cursor).
 */
export type ExchangeFault = { kind: 'refused' | 'retry'; reason: string; rateLimited: boolean };

/** Translates a ccxt error, the one place that knows its classes. */
export function exchangeFault(error: unknown): ExchangeFault {
  if (error instanceof ccxt.AuthenticationError || error instanceof ccxt.AccountSuspended) {
    return { kind: 'refused', reason: 'the exchange refused the key (wrong, revoked or without reading rights); remove the account and add a new key', rateLimited: false };
  }
  if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection) {
    return { kind: 'retry', reason: 'the exchange asked to slow down; syncing again later', rateLimited: true };
  }
  if (error instanceof ccxt.NetworkError) return { kind: 'retry', reason: 'the exchange could not be reached; syncing again later', rateLimited: false };
  return { kind: 'retry', reason: 'the exchange answered with an error; syncing again later', rateLimited: false };
}

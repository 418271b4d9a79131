import { loadedCcxt } from './loadCcxt.js';

/**
 * What a failed call to an exchange means for the sync: `refused` (the key is wrong, revoked or lacks reading: stop
 * until it is added again), or `retry` (a rate limit, an outage, a network fault: back off and keep the cursor).
 */
export type ExchangeFault = { kind: 'refused' | 'retry'; reason: string; rateLimited: boolean };

/** Translates a ccxt error, the one place that knows its classes. */
export function exchangeFault(error: unknown): ExchangeFault {
  // Note: until an exchange call has loaded ccxt, no error can be one of its classes.
  const ccxt = loadedCcxt();
  if (!ccxt) return ANSWERED_WITH_ERROR;
  if (error instanceof ccxt.AuthenticationError || error instanceof ccxt.AccountSuspended) {
    return { kind: 'refused', reason: 'the exchange refused the key (wrong, revoked or without reading rights); remove the account and add a new key', rateLimited: false };
  }
  if (error instanceof ccxt.RateLimitExceeded || error instanceof ccxt.DDoSProtection) {
    return { kind: 'retry', reason: 'the exchange asked to slow down; syncing again later', rateLimited: true };
  }
  if (error instanceof ccxt.NetworkError) return { kind: 'retry', reason: 'the exchange could not be reached; syncing again later', rateLimited: false };
  return ANSWERED_WITH_ERROR;
}

const ANSWERED_WITH_ERROR: ExchangeFault = { kind: 'retry', reason: 'the exchange answered with an error; syncing again later', rateLimited: false };

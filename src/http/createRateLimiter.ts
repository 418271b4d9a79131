import { countApiRequest, forgetPastApiRequests } from '../db/apiRateQueries.js';
import type { Db } from '../db/openDatabase.js';

/** Counts requests per API key in windows of a minute. */
export type RateLimiter = {
  /** Counts one request of a key; answers how many seconds to wait when the key has used its minute. */
  take(keyId: number): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
};

/** How many counted requests, at most, between two clean-ups of the minutes that are over. */
const FORGET_EVERY = 1_000;

/**
 * A fixed window per key and minute of the database's clock: at most `perMinute` requests. Note: counted in the
 * database, so several instances of Lookout on one Postgres share each key's limit.
 */
export function createRateLimiter(db: Db, perMinute: number): RateLimiter {
  let counted = 0;
  return {
    async take(keyId) {
      if (++counted % FORGET_EVERY === 1) await forgetPastApiRequests(db);
      const { count, secondsLeft } = await countApiRequest(db, keyId);
      if (count <= perMinute) return { allowed: true };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(secondsLeft)) };
    },
  };
}

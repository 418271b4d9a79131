import type { FastifyRequest } from 'fastify';
import { findApiKey, touchApiKey, type ApiKey } from '../db/apiKeyQueries.js';
import type { Db } from '../db/openDatabase.js';
import type { RateLimiter } from './createRateLimiter.js';
import { HttpError } from './HttpError.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOUCH_EVERY_MS = 60_000;

/** Finds the API key of a request, or refuses it: 401 without a valid key, 403 for a change by a read-only key, 429 over the rate limit. */
export type Authenticate = (request: FastifyRequest) => Promise<ApiKey>;

/** Checks `Authorization: Bearer <key>` against the stored hashes, then the key's rights and rate. */
export function createAuthenticate(deps: { db: Db; limiter: RateLimiter }): Authenticate {
  const touched = new Map<number, number>();
  return async (request) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new HttpError(401, 'unauthorized', 'Send an API key as Authorization: Bearer <key>; create one with lookout apikey create.', { 'www-authenticate': 'Bearer' });
    const key = await findApiKey(deps.db, match[1]!);
    if (!key) throw new HttpError(401, 'unauthorized', 'The API key is not valid or was revoked; create a new one with lookout apikey create.', { 'www-authenticate': 'Bearer' });
    const rate = await deps.limiter.take(key.id);
    if (!rate.allowed) {
      throw new HttpError(429, 'rate_limited', `This key made too many requests this minute; try again in ${rate.retryAfterSeconds} s.`, {
        'retry-after': String(rate.retryAfterSeconds),
      });
    }
    if (key.readOnly && !READ_METHODS.has(request.method)) {
      throw new HttpError(403, 'forbidden', `The key '${key.name}' is read-only; use a key created without --read-only to change anything.`);
    }
    const now = Date.now();
    if (now - (touched.get(key.id) ?? 0) >= TOUCH_EVERY_MS) {
      touched.set(key.id, now);
      await touchApiKey(deps.db, key.id, new Date(now));
    }
    return key;
  };
}

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/testDatabase.js';
import { createApiKey } from '../db/apiKeyQueries.js';
import type { Database } from '../db/openDatabase.js';
import { apiRequestWindows, workspaces } from '../db/schema.js';
import { createRateLimiter } from './createRateLimiter.js';

describe('createRateLimiter', () => {
  let database: Database;
  let first: number;
  let second: number;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.insert(workspaces).values({ id: 'w', platform: 'local', externalId: 'w', name: 'w' });
    first = (await createApiKey(database.db, { workspaceId: 'w', name: 'one', readOnly: false, actor: 'test' })).key.id;
    second = (await createApiKey(database.db, { workspaceId: 'w', name: 'two', readOnly: false, actor: 'test' })).key.id;
  });
  afterAll(async () => database?.close());

  it('behavior: the limit per minute holds per key across instances, then says how long to wait until the minute ends', { timeout: 20_000 }, async () => {
    // Two limiters on one database: two instances behind one load balancer.
    const a = createRateLimiter(database.db, 3);
    const b = createRateLimiter(database.db, 3);
    // Note: a count that started near the end of a minute could roll over mid-test; start at the top of a fresh window.
    const seconds = new Date().getUTCSeconds() + new Date().getUTCMilliseconds() / 1000;
    if (seconds > 55) await new Promise((resolve) => setTimeout(resolve, (61 - seconds) * 1000));
    expect(await a.take(first)).toEqual({ allowed: true });
    expect(await b.take(first)).toEqual({ allowed: true });
    expect(await a.take(first)).toEqual({ allowed: true });
    const refused = await b.take(first);
    expect(refused).toMatchObject({ allowed: false });
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await a.take(second)).toEqual({ allowed: true });
  });

  it('behavior: the counts of minutes that are over are forgotten, and a new minute starts from zero', async () => {
    await database.db.update(apiRequestWindows).set({ windowStart: sql`date_trunc('minute', now()) - interval '1 minute'` });
    const limiter = createRateLimiter(database.db, 1);
    expect(await limiter.take(first)).toEqual({ allowed: true });
    const rows = await database.db.select().from(apiRequestWindows);
    expect(rows.map((row) => [row.keyId, row.count])).toEqual([[first, 1]]);
  });
});

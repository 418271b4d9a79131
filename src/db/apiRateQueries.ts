import { lt, sql } from 'drizzle-orm';
import type { Db } from './openDatabase.js';
import { apiRequestWindows } from './schema.js';

/**
 * Counts one request of an API key in the current minute of the database's clock, for every instance at once;
 * returns the count so far in that minute and the seconds left in it.
 */
export async function countApiRequest(db: Db, keyId: number): Promise<{ count: number; secondsLeft: number }> {
  const [row] = await db
    .insert(apiRequestWindows)
    .values({ keyId, windowStart: sql`date_trunc('minute', now())`, count: 1 })
    .onConflictDoUpdate({ target: [apiRequestWindows.keyId, apiRequestWindows.windowStart], set: { count: sql`${apiRequestWindows.count} + 1` } })
    .returning({
      count: apiRequestWindows.count,
      secondsLeft: sql<string>`extract(epoch from (${apiRequestWindows.windowStart} + interval '1 minute' - now()))`,
    });
  return { count: row!.count, secondsLeft: Number(row!.secondsLeft) };
}

/** Deletes the counts of minutes that are over. */
export async function forgetPastApiRequests(db: Db): Promise<void> {
  await db.delete(apiRequestWindows).where(lt(apiRequestWindows.windowStart, sql`date_trunc('minute', now())`));
}

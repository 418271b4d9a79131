import { inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from './openDatabase.js';
import { alertOutbox, chainCursors, trades } from './schema.js';

/** Answers when the database does: what the readiness probe asks first. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

/** Per chain: its stored cursor and when it moved, and the time of its newest stored trade. */
export type ChainProgress = { chain: string; cursor: bigint | null; cursorUpdatedAt: Date | null; lastTradeAt: Date | null };

/** The progress of every chain that has a cursor or a trade. */
export async function chainProgress(db: Db): Promise<Map<string, ChainProgress>> {
  const progress = new Map<string, ChainProgress>();
  const entry = (chain: string) => progress.get(chain) ?? { chain, cursor: null, cursorUpdatedAt: null, lastTradeAt: null };
  for (const row of await db.select().from(chainCursors)) {
    progress.set(row.chain, { ...entry(row.chain), cursor: row.blockNumber, cursorUpdatedAt: row.updatedAt });
  }
  const newest = await db
    .select({ chain: trades.chain, ms: sql<number>`(extract(epoch from max(coalesce(${trades.blockTime}, ${trades.createdAt}))) * 1000)::float8` })
    .from(trades)
    .where(isNull(trades.revertedAt))
    .groupBy(trades.chain);
  for (const row of newest) progress.set(row.chain, { ...entry(row.chain), lastTradeAt: new Date(Number(row.ms)) });
  return progress;
}

/** Alerts waiting to be delivered (pending or being sent), per sink: the destination's prefix (`console`, `telegram`, `discord`). */
export async function outboxPendingBySink(db: Db): Promise<Map<string, number>> {
  const sink = sql<string>`split_part(${alertOutbox.destination}, ':', 1)`;
  const rows = await db
    .select({ sink, count: sql<number>`count(*)::int` })
    .from(alertOutbox)
    .where(inArray(alertOutbox.state, ['pending', 'sending']))
    .groupBy(sink);
  return new Map(rows.map((row) => [row.sink, Number(row.count)]));
}

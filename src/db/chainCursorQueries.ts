import { desc, eq } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { chainCursors, recentBlocks } from './schema.js';

/** Where a chain's follower stands: the last block (or slot) processed and its hash (null on Solana). */
export type StoredChainCursor = { number: bigint; hash: string | null };

/** A chain's saved cursor; null before its follower first ran. */
export async function loadChainCursor(db: Db | Tx, chain: string): Promise<StoredChainCursor | null> {
  const [row] = await db.select().from(chainCursors).where(eq(chainCursors.chain, chain));
  return row ? { number: row.blockNumber, hash: row.blockHash } : null;
}

/** The block hashes kept for reorg detection on a chain, newest first. */
export async function loadRecentBlocks(db: Db | Tx, chain: string): Promise<{ number: bigint; hash: string }[]> {
  const rows = await db.select().from(recentBlocks).where(eq(recentBlocks.chain, chain)).orderBy(desc(recentBlocks.blockNumber));
  return rows.map((row) => ({ number: row.blockNumber, hash: row.blockHash }));
}

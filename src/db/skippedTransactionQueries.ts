import { eq } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { skippedTransactions } from './schema.js';

export type SkippedTransaction = { chain: string; txHash: string; blockNumber: bigint; reason: string; firstSeen: Date };

/** The chains on which Lookout skipped this transaction as undecodable, with why. */
export async function findSkippedTransactions(db: Db | Tx, txHash: string): Promise<SkippedTransaction[]> {
  return db.select().from(skippedTransactions).where(eq(skippedTransactions.txHash, txHash));
}

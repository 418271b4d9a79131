import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { tokens } from './schema.js';

export type TokenRow = typeof tokens.$inferSelect;
export type NewToken = typeof tokens.$inferInsert;

/** The stored metadata of some tokens of one chain. */
export async function findTokens(db: Db | Tx, chain: string, addresses: string[]): Promise<TokenRow[]> {
  if (addresses.length === 0) return [];
  return db.select().from(tokens).where(and(eq(tokens.chain, chain), inArray(tokens.address, addresses)));
}

/** Stores token metadata; a token already stored keeps its row unless `replace` is set (chain presets). */
export async function saveTokens(db: Db | Tx, rows: NewToken[], replace = false): Promise<void> {
  if (rows.length === 0) return;
  const insert = db.insert(tokens).values(rows);
  if (!replace) {
    await insert.onConflictDoNothing();
    return;
  }
  for (const row of rows) {
    await db
      .insert(tokens)
      .values(row)
      .onConflictDoUpdate({
        target: [tokens.chain, tokens.address],
        set: {
          isNative: row.isNative ?? false,
          isWrappedNative: row.isWrappedNative ?? false,
          isStablecoin: row.isStablecoin ?? false,
          ...(row.symbol ? { symbol: row.symbol } : {}),
          updatedAt: new Date(),
        },
      });
  }
}

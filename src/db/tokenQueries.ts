import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { tokens } from './schema.js';

export type TokenRow = typeof tokens.$inferSelect;
export type NewToken = typeof tokens.$inferInsert;

/** Whether a token's amounts can be shown in whole units: its decimals were read, or are the chain's own. */
export function decimalsKnown(token: Pick<TokenRow, 'decimalsKnown' | 'metadataFallback' | 'metadataCheckedAt'>): boolean {
  // Note: rows stored before `decimals_known` existed carry an unread fallback as metadataFallback with no check time.
  return token.decimalsKnown && !(token.metadataFallback && token.metadataCheckedAt === null);
}

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

/** Stores metadata just read from the chain, replacing what an earlier read stored; the flags set by presets stay. */
export async function saveReadTokens(db: Db | Tx, rows: NewToken[]): Promise<void> {
  for (const row of rows) {
    await db
      .insert(tokens)
      .values(row)
      .onConflictDoUpdate({
        target: [tokens.chain, tokens.address],
        set: {
          symbol: row.symbol ?? null,
          name: row.name ?? null,
          decimals: row.decimals,
          decimalsKnown: row.decimalsKnown ?? true,
          metadataFallback: row.metadataFallback ?? false,
          metadataCheckedAt: row.metadataCheckedAt ?? new Date(),
          updatedAt: new Date(),
        },
      });
  }
}

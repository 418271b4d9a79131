import { asc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { addressCursors, wallets } from './schema.js';

/**
 * How far an address has been read: its newest processed signature and that signature's slot.
 * `signature` is null for an address that had no transaction when it was first seen; `slot` is
 * then the slot it was seen at, and everything after it is new.
 */
export type AddressCursor = { signature: string | null; slot: bigint };

// Note: last_signature is NOT NULL; an empty string stands for "no transaction yet".
const NO_SIGNATURE = '';

/** Every address cursor of a chain, by address. */
export async function loadAddressCursors(db: Db | Tx, chain: string): Promise<Map<string, AddressCursor>> {
  const rows = await db.select().from(addressCursors).where(eq(addressCursors.chain, chain));
  return new Map(
    rows.map((row) => [row.address, { signature: row.lastSignature === NO_SIGNATURE ? null : row.lastSignature, slot: row.lastSlot }]),
  );
}

/** The row values storeChainRecords saves for a cursor. */
export function addressCursorRow(address: string, cursor: AddressCursor): { address: string; signature: string; slot: bigint } {
  return { address, signature: cursor.signature ?? NO_SIGNATURE, slot: cursor.slot };
}

/**
 * Every address followed on a chain with the moment the first workspace began to follow it:
 * nothing older than that is read for it, so a wallet tracked again after a pause does not
 * replay the months in between from its old cursor.
 */
export async function followedSince(db: Db | Tx, chain: string): Promise<Map<string, Date>> {
  const rows = await db
    .select({ address: wallets.address, since: sql<Date>`min(${wallets.addedAt})`.mapWith(wallets.addedAt) })
    .from(wallets)
    .where(eq(wallets.chain, chain))
    .groupBy(wallets.address)
    .orderBy(asc(wallets.address));
  return new Map(rows.map((row) => [row.address, row.since]));
}

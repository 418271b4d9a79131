import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

export type Schema = typeof schema;
/** A drizzle database over either driver; every query in `src/db` takes one. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle, usable wherever a `Db` is. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for logs: the data folder, or the server's host and database. */
  location: string;
  migrate(): Promise<void>;
  close(): Promise<void>;
};

/** Folder of the drizzle-kit migrations, shared by both drivers. */
export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

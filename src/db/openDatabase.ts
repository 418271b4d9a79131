import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { LookoutError } from '../errors/LookoutError.js';
import { migrationsFolder, type Database, type Db } from './database.js';
import * as schema from './schema.js';

export type { Database, Db, Schema, Tx } from './database.js';
export { migrationsFolder } from './database.js';

export type OpenDatabaseOptions = {
  /** A Postgres URL; when absent, an embedded PGlite database in `dataDir`. */
  url?: string | undefined;
  dataDir: string;
};

// Note: an arbitrary constant; every Lookout process agrees on it, so two that start together migrate one at a time.
const MIGRATION_LOCK_KEY = 740_211_350;

/** Opens Postgres through postgres.js when a URL is given, otherwise the embedded PGlite database. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url);
  // Note: PGlite (its WebAssembly Postgres and drizzle's driver for it) is loaded only when it is used.
  const { openPglite } = await import('./pgliteDatabase.js');
  return openPglite(options.dataDir);
}

async function openPostgres(url: string): Promise<Database> {
  const client = postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 10 });
  try {
    await client`select 1`;
  } catch (cause) {
    await client.end({ timeout: 1 });
    throw new LookoutError(`Cannot connect to the Postgres database in DATABASE_URL (${describeUrl(url)}).`, {
      action: 'stop',
      details: String(cause),
      cause,
    });
  }
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    location: describeUrl(url),
    async migrate() {
      const lockClient = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(drizzlePostgres({ client: lockClient }), { migrationsFolder });
      } finally {
        await lockClient.end({ timeout: 5 });
      }
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** A Postgres URL with its password removed, fit for logs and messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}

import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/db/openDatabase.js';
import { wrapPglite } from '../../src/db/pgliteDatabase.js';

let pgliteBase: Promise<PGlite> | undefined;

/** The Postgres server tests run against, when DATABASE_URL is set; otherwise tests use PGlite. */
export const postgresUrl = process.env.DATABASE_URL || undefined;

/**
 * A fresh, migrated database for one test: a new database on the Postgres server of DATABASE_URL,
 * or a clone of a migrated in-memory PGlite. `close()` also drops it.
 */
export async function createTestDatabase(): Promise<Database> {
  if (postgresUrl) return createPostgresDatabase(postgresUrl);
  pgliteBase ??= (async () => {
    const base = await PGlite.create();
    await wrapPglite(base, 'memory').migrate();
    return base;
  })();
  const clone = (await (await pgliteBase).clone()) as PGlite;
  return wrapPglite(clone, 'memory');
}

/** Creates an empty database on the server and returns its URL and a function that drops it. */
export async function createScratchPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lookout_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  return {
    url: scratch.toString(),
    async drop() {
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

async function createPostgresDatabase(url: string): Promise<Database> {
  const scratch = await createScratchPostgres(url);
  const database = await openDatabase({ url: scratch.url, dataDir: '' });
  await database.migrate();
  return {
    ...database,
    async close() {
      await database.close();
      await scratch.drop();
    },
  };
}

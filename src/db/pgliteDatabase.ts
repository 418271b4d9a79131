import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder, type Database, type Db } from './database.js';
import { prepareDataDir, restrictDataDir } from './prepareDataDir.js';
import * as schema from './schema.js';

/**
 * Postgres settings of the embedded database. Note: PGlite fills its shared buffers at start, so Postgres's default
 * of 128 MB costs that much resident memory at once; Lookout's tables fit a fraction of it, and the operating
 * system caches the data files besides. 16 MB took `lookout run` on PGlite about 100 MiB lower.
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=16MB'];

/** The embedded PGlite database in `dataDir`, created on first use. */
export async function openPglite(dataDir: string): Promise<Database> {
  prepareDataDir(dataDir);
  const client = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  const database = wrapPglite(client, dataDir);
  // Note: PGlite sets the mode of the files it creates itself (0666), past the umask; the folder's 0700 already
  // keeps them from other users, and they are narrowed to 0600 once migrated and again when closed.
  return {
    ...database,
    async migrate() {
      await database.migrate();
      restrictDataDir(dataDir);
    },
    async close() {
      await database.close();
      restrictDataDir(dataDir);
    },
  };
}

/** Wraps an open PGlite instance (on disk or in memory) as a Lookout database. */
export function wrapPglite(client: PGlite, location: string): Database {
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    location,
    async migrate() {
      await migratePglite(drizzlePglite({ client }), { migrationsFolder });
    },
    close: () => client.close(),
  };
}


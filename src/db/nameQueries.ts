import { and, eq, sql } from 'drizzle-orm';
import type { Db } from './openDatabase.js';
import { groups, wallets } from './schema.js';

/** Whether a workspace has a group of this name, in any case: a chat target names a group before a wallet. */
export async function isGroupName(db: Db, workspaceId: string, name: string): Promise<boolean> {
  const [found] = await db
    .select({ id: groups.id })
    .from(groups)
    .where(and(eq(groups.workspaceId, workspaceId), sql`lower(${groups.name}) = lower(${name})`))
    .limit(1);
  return found !== undefined;
}

/** The names of a workspace's groups, for autocompletion. */
export async function groupNames(db: Db, workspaceId: string): Promise<string[]> {
  const rows = await db.select({ name: groups.name }).from(groups).where(eq(groups.workspaceId, workspaceId));
  return rows.map((row) => row.name);
}

/** The distinct wallet labels of a workspace that contain `typed`, in any case, for autocompletion. */
export async function walletLabelsLike(db: Db, workspaceId: string, typed: string): Promise<string[]> {
  const pattern = `%${typed.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  const rows = await db
    .selectDistinct({ label: wallets.label })
    .from(wallets)
    .where(and(eq(wallets.workspaceId, workspaceId), sql`lower(${wallets.label}) like ${pattern}`));
  return rows.map((row) => row.label);
}

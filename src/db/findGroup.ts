import { and, eq, sql } from 'drizzle-orm';
import { DbNotFound } from './DbError.js';
import type { Db, Tx } from './openDatabase.js';
import { groups } from './schema.js';

export type Group = typeof groups.$inferSelect;

/** The group of that name (case-insensitive) in the workspace; null when it has none. */
export async function findGroup(db: Db | Tx, workspaceId: string, name: string): Promise<Group | null> {
  const [group] = await db
    .select()
    .from(groups)
    .where(and(eq(groups.workspaceId, workspaceId), sql`lower(${groups.name}) = lower(${name})`));
  return group ?? null;
}

/** Like `findGroup`, but a name that names nothing is a `DbNotFound`. */
export async function requireGroup(db: Db | Tx, workspaceId: string, name: string): Promise<Group> {
  const group = await findGroup(db, workspaceId, name);
  if (!group) throw new DbNotFound({ entity: 'group', name });
  return group;
}

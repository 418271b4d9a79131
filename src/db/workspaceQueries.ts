import { eq } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { workspaces } from './schema.js';

export type WorkspaceRef = { id: string; platform: 'local' | 'discord' | 'telegram'; externalId: string };

/** Creates the workspace on first use and returns its id. */
export async function ensureWorkspace(db: Db | Tx, ref: WorkspaceRef, name?: string): Promise<string> {
  await db
    .insert(workspaces)
    .values({ id: ref.id, platform: ref.platform, externalId: ref.externalId, name: name ?? null })
    .onConflictDoNothing();
  return ref.id;
}

/** Takes the workspace's row lock so that concurrent edits of its wallets and groups apply one at a time. */
export async function lockWorkspace(tx: Tx, workspaceId: string): Promise<void> {
  await tx.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.id, workspaceId)).for('update');
}

import { eq } from 'drizzle-orm';
import { UserInputError } from '../errors/LookoutError.js';
import type { Db, Tx } from './openDatabase.js';
import { workspaces } from './schema.js';

export type WorkspaceRef = { id: string; platform: 'local' | 'discord' | 'telegram'; externalId: string };

/**
 * Reads a workspace name as typed on the command line: `discord:<guild id>`, `telegram:<chat id>`,
 * or any other name for a local workspace (default `local`).
 */
export function parseWorkspaceName(name: string): WorkspaceRef {
  const value = name.trim();
  const match = value.match(/^(discord|telegram):(-?\d+)$/);
  if (match) {
    const platform = match[1] as 'discord' | 'telegram';
    return { id: value, platform, externalId: match[2]! };
  }
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value) || /^(discord|telegram):/.test(value)) {
    throw new UserInputError(
      `'${value}' is not a workspace name: use letters, digits, '.', '_' or '-', or discord:<guild id> / telegram:<chat id>.`,
    );
  }
  return { id: value, platform: 'local', externalId: value };
}

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

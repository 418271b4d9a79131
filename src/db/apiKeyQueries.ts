import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';
import { appendAudit } from './auditLog.js';
import type { Db } from './openDatabase.js';
import { apiKeys } from './schema.js';
import { lockWorkspace } from './workspaceQueries.js';

/** A stored API key, without anything that would let it be used. */
export type ApiKey = Omit<typeof apiKeys.$inferSelect, 'keyHash'>;

/** What every key starts with, so that one pasted into the wrong place is recognised (and found by secret scanners). */
export const API_KEY_PREFIX = 'lk_';

/** The hex SHA-256 of a key as sent: what is stored and looked up. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Creates a key for a workspace and returns it with the only copy of the secret: 32 random bytes, base64url, after
 * `lk_`. Only its hash is stored.
 */
export async function createApiKey(
  db: Db,
  /** The name, already checked; `key-<8 hex digits of the hash>` when none is given. */
  input: { workspaceId: string; name?: string | undefined; readOnly: boolean; actor: string },
): Promise<{ key: ApiKey; secret: string }> {
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const keyHash = hashApiKey(secret);
  const name = input.name ?? `key-${keyHash.slice(0, 8)}`;
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const [taken] = await tx
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.workspaceId, input.workspaceId), isNull(apiKeys.revokedAt), sql`lower(${apiKeys.name}) = lower(${name})`));
    if (taken) throw new UserInputError(`A key named '${name}' already exists in this workspace; pick another name or revoke it first.`);
    const [row] = await tx
      .insert(apiKeys)
      .values({ workspaceId: input.workspaceId, name, keyHash, readOnly: input.readOnly, createdBy: input.actor })
      .returning();
    await appendAudit(tx, { workspaceId: input.workspaceId, actor: input.actor, action: 'apikey_create', details: { id: row!.id, name, readOnly: input.readOnly } });
    return { key: withoutHash(row!), secret };
  });
}

/** The workspace's keys, revoked ones included, oldest first. */
export async function listApiKeys(db: Db, workspaceId: string): Promise<ApiKey[]> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.workspaceId, workspaceId)).orderBy(asc(apiKeys.id));
  return rows.map(withoutHash);
}

/** Revokes a key of the workspace named by its id or its name; a revoked key is refused from then on. */
export async function revokeApiKey(db: Db, input: { workspaceId: string; ref: string; actor: string }): Promise<ApiKey> {
  const ref = input.ref.trim();
  const byId = /^\d{1,15}$/.test(ref);
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(apiKeys.workspaceId, input.workspaceId),
          isNull(apiKeys.revokedAt),
          byId ? eq(apiKeys.id, Number(ref)) : sql`lower(${apiKeys.name}) = lower(${ref})`,
        ),
      )
      .returning();
    if (!row) throw new UserInputError(`No active key '${quoteInput(ref)}' in this workspace; see them with lookout apikey list.`);
    await appendAudit(tx, { workspaceId: input.workspaceId, actor: input.actor, action: 'apikey_revoke', details: { id: row.id, name: row.name } });
    return withoutHash(row);
  });
}

/**
 * The active key a secret belongs to, or null. Note: the lookup is by hash, so timing tells nothing of the secret;
 * the stored hash is still compared in constant time before the key is trusted.
 */
export async function findApiKey(db: Db, secret: string): Promise<ApiKey | null> {
  if (!secret.startsWith(API_KEY_PREFIX) || secret.length > 200) return null;
  const wanted = Buffer.from(hashApiKey(secret), 'hex');
  const [row] = await db.select().from(apiKeys).where(and(eq(apiKeys.keyHash, wanted.toString('hex')), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  const stored = Buffer.from(row.keyHash, 'hex');
  return stored.length === wanted.length && timingSafeEqual(stored, wanted) ? withoutHash(row) : null;
}

/** Records when a key was last used (the API calls it at most once a minute per key). */
export async function touchApiKey(db: Db, id: number, at = new Date()): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
}

function withoutHash(row: typeof apiKeys.$inferSelect): ApiKey {
  const { keyHash: _keyHash, ...key } = row;
  return key;
}

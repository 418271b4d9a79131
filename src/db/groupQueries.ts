import { and, eq, inArray, sql } from 'drizzle-orm';
import { appendAudit } from './auditLog.js';
import { DbConflict, DbLimitReached, DbNotFound } from './DbError.js';
import { requireGroup, type Group } from './findGroup.js';
import { requireWallets, type TrackedWallet } from './findWallets.js';
import type { Db, Tx } from './openDatabase.js';
import { alertRoutes, groupMembers, groups, wallets } from './schema.js';
import { lockWorkspace } from './workspaceQueries.js';

export { findGroup, requireGroup, type Group } from './findGroup.js';
export type GroupWithMembers = Group & { members: { label: string; address: string; chain: string }[] };

type Actor = { workspaceId: string; actor: string };

/** Creates a group; `maxGroups` caps how many a workspace may have. */
export async function createGroup(db: Db, input: Actor & { name: string; maxGroups?: number | undefined }): Promise<Group> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    if (input.maxGroups !== undefined) {
      const [row] = await tx.select({ count: sql<number>`count(*)::int` }).from(groups).where(eq(groups.workspaceId, input.workspaceId));
      if ((row?.count ?? 0) >= input.maxGroups) {
        throw new DbLimitReached({ entity: 'group', max: input.maxGroups });
      }
    }
    const [existing] = await tx
      .select()
      .from(groups)
      .where(and(eq(groups.workspaceId, input.workspaceId), sql`lower(${groups.name}) = lower(${input.name})`));
    if (existing) throw new DbConflict({ entity: 'group', reason: 'name_taken', name: existing.name });
    const [group] = await tx
      .insert(groups)
      .values({ workspaceId: input.workspaceId, name: input.name, createdBy: input.actor })
      .returning();
    await appendAudit(tx, { workspaceId: input.workspaceId, actor: input.actor, action: 'group_create', details: { group: input.name } });
    return group!;
  });
}

/** Deletes a group; its wallets stay tracked, and its alert routes go with it (returned, so the user is told which). */
export async function deleteGroup(
  db: Db,
  input: Actor & { name: string },
): Promise<Group & { routes: { id: number; destination: string }[] }> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const group = await requireGroup(tx, input.workspaceId, input.name);
    const routes = await tx
      .delete(alertRoutes)
      .where(and(eq(alertRoutes.workspaceId, input.workspaceId), eq(alertRoutes.groupId, group.id)))
      .returning({ id: alertRoutes.id, destination: alertRoutes.destination });
    await tx.delete(groups).where(eq(groups.id, group.id));
    await appendAudit(tx, { ...input, action: 'group_delete', details: { group: group.name, routes: routes.map((route) => route.id) } });
    return { ...group, routes: routes.sort((a, b) => a.id - b.id) };
  });
}

/** Adds wallets (labels or addresses) to a group; all refs are checked before anything is written. */
export async function addToGroup(
  db: Db,
  input: Actor & { name: string; refs: string[] },
): Promise<{ group: Group; added: TrackedWallet[] }> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const group = await requireGroup(tx, input.workspaceId, input.name);
    const matched = await resolveRefs(tx, input.workspaceId, input.refs);
    const added = await tx
      .insert(groupMembers)
      .values(matched.map((wallet) => ({ groupId: group.id, walletId: wallet.id })))
      .onConflictDoNothing()
      .returning({ walletId: groupMembers.walletId });
    const addedIds = new Set(added.map((row) => row.walletId));
    await appendAudit(tx, { ...input, action: 'group_add', details: { group: group.name, wallets: input.refs } });
    return { group, added: matched.filter((wallet) => addedIds.has(wallet.id)) };
  });
}

/** Removes wallets from a group; a wallet that is not a member is an error, and nothing is removed. */
export async function removeFromGroup(
  db: Db,
  input: Actor & { name: string; refs: string[] },
): Promise<{ group: Group; removed: TrackedWallet[] }> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const group = await requireGroup(tx, input.workspaceId, input.name);
    const perRef = await Promise.all(input.refs.map((ref) => requireWallets(tx, input.workspaceId, ref)));
    const members = await groupWalletIds(tx, group.id);
    const memberIds = new Set(members);
    const outside = input.refs.find((_, i) => !perRef[i]!.some((wallet) => memberIds.has(wallet.id)));
    if (outside !== undefined) {
      throw new DbNotFound({ entity: 'group_member', ref: outside, group: group.name });
    }
    const matched = perRef.flat();
    const removed = matched.filter((wallet) => memberIds.has(wallet.id));
    await tx.delete(groupMembers).where(
      and(
        eq(groupMembers.groupId, group.id),
        inArray(
          groupMembers.walletId,
          removed.map((wallet) => wallet.id),
        ),
      ),
    );
    await appendAudit(tx, { ...input, action: 'group_remove', details: { group: group.name, wallets: input.refs } });
    return { group, removed };
  });
}

/** The workspace's groups with their members, ordered by name. */
export async function listGroups(db: Db | Tx, workspaceId: string): Promise<GroupWithMembers[]> {
  const rows = await db
    .select({ group: groups, label: wallets.label, address: wallets.address, chain: wallets.chain })
    .from(groups)
    .leftJoin(groupMembers, eq(groupMembers.groupId, groups.id))
    .leftJoin(wallets, eq(wallets.id, groupMembers.walletId))
    .where(eq(groups.workspaceId, workspaceId))
    .orderBy(sql`lower(${groups.name})`, sql`lower(${wallets.label})`, wallets.chain);
  const byId = new Map<number, GroupWithMembers>();
  for (const row of rows) {
    const entry = byId.get(row.group.id) ?? { ...row.group, members: [] };
    byId.set(row.group.id, entry);
    if (row.label !== null && row.address !== null && row.chain !== null) {
      entry.members.push({ label: row.label, address: row.address, chain: row.chain });
    }
  }
  return [...byId.values()];
}

/** The names of the workspace's groups, ordered by name. */
export async function groupNames(db: Db | Tx, workspaceId: string): Promise<string[]> {
  const rows = await db.select({ name: groups.name }).from(groups).where(eq(groups.workspaceId, workspaceId)).orderBy(sql`lower(${groups.name})`);
  return rows.map((row) => row.name);
}

/** The wallet rows of a group's members, in one workspace. */
export async function groupWallets(db: Db | Tx, workspaceId: string, groupId: number): Promise<TrackedWallet[]> {
  return db
    .select({ wallet: wallets })
    .from(groupMembers)
    .innerJoin(wallets, eq(wallets.id, groupMembers.walletId))
    .where(and(eq(groupMembers.groupId, groupId), eq(wallets.workspaceId, workspaceId)))
    .orderBy(wallets.id)
    .then((rows) => rows.map((row) => row.wallet));
}

/** The wallet ids of a group's members. */
export async function groupWalletIds(db: Db | Tx, groupId: number): Promise<number[]> {
  const rows = await db.select({ walletId: groupMembers.walletId }).from(groupMembers).where(eq(groupMembers.groupId, groupId));
  return rows.map((row) => row.walletId);
}

async function resolveRefs(tx: Tx, workspaceId: string, refs: string[]): Promise<TrackedWallet[]> {
  const found: TrackedWallet[] = [];
  for (const ref of refs) found.push(...(await requireWallets(tx, workspaceId, ref)));
  return found;
}

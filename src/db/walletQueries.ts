import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { appendAudit } from './auditLog.js';
import { DbConflict, DbLimitReached, DbNotFound } from './DbError.js';
import { requireGroup } from './findGroup.js';
import { findWallets, type TrackedWallet } from './findWallets.js';
import type { Db, Tx } from './openDatabase.js';
import { groupMembers, groups, wallets } from './schema.js';
import { lockWorkspace } from './workspaceQueries.js';

export { findWallets, requireWallets, type TrackedWallet } from './findWallets.js';
export type WalletWithGroups = TrackedWallet & { groups: string[] };

export type TrackWalletInput = {
  workspaceId: string;
  address: string;
  chains: string[];
  label: string;
  actor: string;
  group?: string | undefined;
  /** The most distinct addresses the workspace may track; a new address beyond it is refused. */
  maxWallets?: number | undefined;
};

/** Tracks an address on the given chains; every check happens before anything is written. */
export async function trackWallet(db: Db, input: TrackWalletInput): Promise<TrackedWallet[]> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const sameLabel = await tx
      .select()
      .from(wallets)
      .where(and(eq(wallets.workspaceId, input.workspaceId), sql`lower(${wallets.label}) = lower(${input.label})`));
    const other = sameLabel.find((wallet) => wallet.address !== input.address);
    if (other) {
      throw new DbConflict({ entity: 'wallet', reason: 'label_taken', label: input.label, address: other.address, chain: other.chain });
    }
    const existing = await tx
      .select()
      .from(wallets)
      .where(and(eq(wallets.workspaceId, input.workspaceId), eq(wallets.address, input.address)));
    const renamed = existing.find((wallet) => wallet.label.toLowerCase() !== input.label.toLowerCase());
    if (renamed) {
      throw new DbConflict({ entity: 'wallet', reason: 'tracked_as', address: input.address, label: renamed.label });
    }
    if (existing.length === 0 && input.maxWallets !== undefined) {
      const [row] = await tx
        .select({ count: sql<number>`count(distinct ${wallets.address})::int` })
        .from(wallets)
        .where(eq(wallets.workspaceId, input.workspaceId));
      if ((row?.count ?? 0) >= input.maxWallets) {
        throw new DbLimitReached({ entity: 'wallet', max: input.maxWallets });
      }
    }
    const newChains = input.chains.filter((chain) => !existing.some((wallet) => wallet.chain === chain));
    if (newChains.length === 0) {
      throw new DbConflict({ entity: 'wallet', reason: 'already_tracked', address: input.address, chains: input.chains, label: existing[0]?.label ?? input.label });
    }
    const group = input.group === undefined ? undefined : await requireGroup(tx, input.workspaceId, input.group);

    const added = await tx
      .insert(wallets)
      .values(
        newChains.map((chain) => ({
          workspaceId: input.workspaceId,
          chain,
          address: input.address,
          label: input.label,
          addedBy: input.actor,
        })),
      )
      .returning();
    if (group) {
      await tx
        .insert(groupMembers)
        .values(added.map((wallet) => ({ groupId: group.id, walletId: wallet.id })))
        .onConflictDoNothing();
    }
    await appendAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'track',
      details: { address: input.address, chains: newChains, label: input.label, group: group?.name ?? null },
    });
    return added;
  });
}

/** Stops tracking the wallet named by a label or an address (on every chain, or only `chain`). */
export async function untrackWallet(
  db: Db,
  input: { workspaceId: string; ref: string; actor: string; chain?: string | undefined },
): Promise<TrackedWallet[]> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const matched = (await findWallets(tx, input.workspaceId, input.ref)).filter(
      (wallet) => input.chain === undefined || wallet.chain === input.chain,
    );
    if (matched.length === 0) {
      throw new DbNotFound({ entity: 'wallet', ref: input.ref, chain: input.chain });
    }
    await tx.delete(wallets).where(
      inArray(
        wallets.id,
        matched.map((wallet) => wallet.id),
      ),
    );
    await appendAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'untrack',
      details: { address: matched[0]!.address, chains: matched.map((w) => w.chain), label: matched[0]!.label },
    });
    return matched;
  });
}

/** The workspace's wallets with the names of their groups, ordered by label then chain. */
export async function listWallets(db: Db | Tx, workspaceId: string): Promise<WalletWithGroups[]> {
  const rows = await db
    .select({
      wallet: wallets,
      groups: sql<string[]>`coalesce(array_agg(${groups.name} order by lower(${groups.name})) filter (where ${groups.id} is not null), '{}')`,
    })
    .from(wallets)
    .leftJoin(groupMembers, eq(groupMembers.walletId, wallets.id))
    .leftJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(wallets.workspaceId, workspaceId))
    .groupBy(wallets.id)
    .orderBy(sql`lower(${wallets.label})`, asc(wallets.chain));
  return rows.map((row) => ({ ...row.wallet, groups: row.groups }));
}

/** The workspace's distinct wallet labels that contain `text` (case-insensitive), ordered by label. */
export async function walletLabelsContaining(db: Db | Tx, workspaceId: string, text: string): Promise<string[]> {
  // Note: LIKE's own characters in the text are matched literally.
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  const rows = await db
    .selectDistinct({ label: wallets.label })
    .from(wallets)
    .where(and(eq(wallets.workspaceId, workspaceId), sql`lower(${wallets.label}) like ${pattern}`))
    .orderBy(wallets.label);
  return rows.map((row) => row.label);
}

/** Every distinct address followed on a chain, across all workspaces: the chain is followed once for all of them. */
export async function followedAddresses(db: Db | Tx, chain: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ address: wallets.address })
    .from(wallets)
    .where(eq(wallets.chain, chain))
    .orderBy(asc(wallets.address));
  return rows.map((row) => row.address);
}

/**
 * What changes whenever a wallet is tracked or dropped on a chain, in any workspace or process: the row count and the
 * highest row id (ids come from a sequence and are never reused). One index-only read, a few bytes back.
 */
export async function followedVersion(db: Db | Tx, chain: string): Promise<string> {
  const [row] = await db
    .select({ count: sql<string>`count(*)::text`, maxId: sql<string | null>`max(${wallets.id})::text` })
    .from(wallets)
    .where(eq(wallets.chain, chain));
  return `${row?.count ?? '0'}:${row?.maxId ?? ''}`;
}

import { and, eq, inArray, sql } from 'drizzle-orm';
import { appendAudit } from './auditLog.js';
import { DbConflict, DbNotFound } from './DbError.js';
import { findWallets, type TrackedWallet } from './findWallets.js';
import type { Db } from './openDatabase.js';
import { wallets } from './schema.js';
import { lockWorkspace } from './workspaceQueries.js';

/**
 * Gives the wallet named by a label or an address a new label, on every chain it is tracked on; a label of
 * another address is refused and nothing is changed.
 */
export async function relabelWallet(db: Db, input: { workspaceId: string; ref: string; label: string; actor: string }): Promise<TrackedWallet[]> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const matched = await findWallets(tx, input.workspaceId, input.ref);
    if (matched.length === 0) throw new DbNotFound({ entity: 'wallet', ref: input.ref });
    const address = matched[0]!.address;
    const [other] = await tx
      .select()
      .from(wallets)
      .where(and(eq(wallets.workspaceId, input.workspaceId), sql`lower(${wallets.label}) = lower(${input.label})`, sql`${wallets.address} <> ${address}`));
    if (other) throw new DbConflict({ entity: 'wallet', reason: 'label_taken', label: input.label, address: other.address, chain: other.chain });
    const updated = await tx
      .update(wallets)
      .set({ label: input.label })
      .where(inArray(wallets.id, matched.filter((wallet) => wallet.address === address).map((wallet) => wallet.id)))
      .returning();
    await appendAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'relabel',
      details: { address, chains: updated.map((wallet) => wallet.chain), from: matched[0]!.label, label: input.label },
    });
    return updated;
  });
}

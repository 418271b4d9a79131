import { and, asc, eq, or } from 'drizzle-orm';
import { appendAudit } from './auditLog.js';
import type { Db } from './openDatabase.js';
import type { WalletKey } from './pnlQueries.js';
import { manualTrades, wallets } from './schema.js';
import { lockWorkspace } from './workspaceQueries.js';

export type ManualTradeRow = typeof manualTrades.$inferSelect;
export type NewManualTrade = Omit<typeof manualTrades.$inferInsert, 'id' | 'createdAt'>;
export type ManualTradeListing = ManualTradeRow & { chain: string; wallet: string; label: string };

/** Stores a manual trade and records who entered it, in one transaction. */
export async function insertManualTrade(db: Db, row: NewManualTrade): Promise<ManualTradeRow> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, row.workspaceId);
    const [stored] = await tx.insert(manualTrades).values(row).returning();
    await appendAudit(tx, {
      workspaceId: row.workspaceId,
      actor: row.createdBy,
      action: 'trade_add',
      details: { id: stored!.id, walletId: row.walletId, side: row.side, asset: row.asset, amount: row.amount.toString() },
    });
    return stored!;
  });
}

/** Deletes a manual trade of the workspace; null when it has none by that id. */
export async function deleteManualTrade(db: Db, input: { workspaceId: string; id: number; actor: string }): Promise<ManualTradeRow | null> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const [removed] = await tx
      .delete(manualTrades)
      .where(and(eq(manualTrades.workspaceId, input.workspaceId), eq(manualTrades.id, input.id)))
      .returning();
    if (!removed) return null;
    await appendAudit(tx, { workspaceId: input.workspaceId, actor: input.actor, action: 'trade_remove', details: { id: input.id } });
    return removed;
  });
}

/** The manual trades of some wallets (by chain and address), oldest first, with their wallet. */
export async function listManualTrades(db: Db, workspaceId: string, walletKeys: readonly WalletKey[]): Promise<ManualTradeListing[]> {
  if (walletKeys.length === 0) return [];
  const scope = or(...walletKeys.map((key) => and(eq(wallets.chain, key.chain), eq(wallets.address, key.address))));
  const rows = await db
    .select({ trade: manualTrades, chain: wallets.chain, wallet: wallets.address, label: wallets.label })
    .from(manualTrades)
    .innerJoin(wallets, eq(wallets.id, manualTrades.walletId))
    .where(and(eq(manualTrades.workspaceId, workspaceId), scope))
    .orderBy(asc(manualTrades.tradedAt), asc(manualTrades.id));
  return rows.map((row) => ({ ...row.trade, chain: row.chain, wallet: row.wallet, label: row.label }));
}

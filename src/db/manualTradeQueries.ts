import { and, asc, eq, or } from 'drizzle-orm';
import type { PnlLeg, PnlTrade } from '../tracker/pnl/types.js';
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

/** The workspace's manual trades of some wallets, as the PnL engine reads them. */
export async function loadManualPnlTrades(db: Db, workspaceId: string, walletKeys: readonly WalletKey[]): Promise<PnlTrade[]> {
  return (await listManualTrades(db, workspaceId, walletKeys)).map(manualPnlTrade);
}

/** A manual trade as a trade of the PnL engine: the token leg, and the quote leg when the total was not in USD. */
export function manualPnlTrade(row: ManualTradeListing): PnlTrade {
  const sign = row.side === 'buy' ? 1n : -1n;
  const legs: PnlLeg[] = [{ asset: row.asset, symbol: row.symbol, decimals: row.decimals, amount: sign * row.amount }];
  // A total in USD or a stablecoin is money, already the trade's USD value; any other asset was paid or received.
  if (row.usdValue === null) legs.push({ asset: row.quoteAsset, symbol: row.quoteSymbol, decimals: row.quoteDecimals, amount: -sign * row.quoteAmount });
  return {
    id: `manual-${row.id}`,
    tx: `manual-${row.id}`,
    time: row.tradedAt,
    chain: row.chain,
    wallet: row.wallet,
    kind: row.side,
    legs,
    usd: row.usdValue,
    counterparty: null,
    feeUsd: row.feeUsd,
    feeUnpriced: (row.feeAmount ?? 0n) > 0n && row.feeUsd === null,
    manual: true,
  };
}

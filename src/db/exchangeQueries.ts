import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { dueBy } from './dueBy.js';
import { appendAudit } from './auditLog.js';
import { DbConflict, DbLimitReached, DbNotFound } from './DbError.js';
import type { Db } from './openDatabase.js';
import { exchangeAccounts, tokens, wallets } from './schema.js';
import { lockWorkspace } from './workspaceQueries.js';

export type ExchangeName = (typeof exchangeAccounts.$inferSelect)['exchange'];
export type ExchangeAccountRow = typeof exchangeAccounts.$inferSelect;
/** An account with its wallet, as listings and the sync read it. */
export type ExchangeAccountListing = ExchangeAccountRow & { label: string; chain: string; address: string };

export type NewExchangeAccount = {
  workspaceId: string;
  exchange: ExchangeName;
  label: string;
  /** The wallet address the account's trades carry, unique across workspaces. */
  address: string;
  keyCiphertext: string;
  secretCiphertext: string;
  passphraseCiphertext: string | null;
  keyEnding: string;
  actor: string;
  maxWallets?: number | undefined;
};

/** Adds the account and its wallet (chain = the exchange) in one transaction; the label must be free in the workspace. */
export async function insertExchangeAccount(db: Db, input: NewExchangeAccount): Promise<ExchangeAccountListing> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const [taken] = await tx
      .select()
      .from(wallets)
      .where(and(eq(wallets.workspaceId, input.workspaceId), sql`lower(${wallets.label}) = lower(${input.label})`))
      .limit(1);
    if (taken) throw new DbConflict({ entity: 'wallet', reason: 'label_taken', label: input.label, address: taken.address, chain: taken.chain });
    if (input.maxWallets !== undefined) {
      const [row] = await tx
        .select({ count: sql<number>`count(distinct ${wallets.address})::int` })
        .from(wallets)
        .where(eq(wallets.workspaceId, input.workspaceId));
      if ((row?.count ?? 0) >= input.maxWallets) throw new DbLimitReached({ entity: 'wallet', max: input.maxWallets });
    }
    const [wallet] = await tx
      .insert(wallets)
      .values({ workspaceId: input.workspaceId, chain: input.exchange, address: input.address, label: input.label, addedBy: input.actor })
      .returning();
    const [account] = await tx
      .insert(exchangeAccounts)
      .values({
        workspaceId: input.workspaceId,
        walletId: wallet!.id,
        exchange: input.exchange,
        keyCiphertext: input.keyCiphertext,
        secretCiphertext: input.secretCiphertext,
        passphraseCiphertext: input.passphraseCiphertext,
        keyEnding: input.keyEnding,
        createdBy: input.actor,
      })
      .returning();
    // Note: the audit log names the account, never its key.
    await appendAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'exchange_add',
      details: { id: account!.id, exchange: input.exchange, label: input.label, keyEnding: input.keyEnding },
    });
    return { ...account!, label: wallet!.label, chain: wallet!.chain, address: wallet!.address };
  });
}

const listing = {
  account: exchangeAccounts,
  label: wallets.label,
  chain: wallets.chain,
  address: wallets.address,
};

/** The exchange accounts of a workspace, oldest first. */
export async function listExchangeAccounts(db: Db, workspaceId: string): Promise<ExchangeAccountListing[]> {
  const rows = await db
    .select(listing)
    .from(exchangeAccounts)
    .innerJoin(wallets, eq(wallets.id, exchangeAccounts.walletId))
    .where(eq(exchangeAccounts.workspaceId, workspaceId))
    .orderBy(asc(exchangeAccounts.id));
  return rows.map((row) => ({ ...row.account, label: row.label, chain: row.chain, address: row.address }));
}

/** Accounts of every workspace whose next sync is due and whose key was not refused, the longest waiting first. */
export async function dueExchangeAccounts(db: Db, now: Date): Promise<ExchangeAccountListing[]> {
  const rows = await db
    .select(listing)
    .from(exchangeAccounts)
    .innerJoin(wallets, eq(wallets.id, exchangeAccounts.walletId))
    .where(and(isNull(exchangeAccounts.refusedAt), dueBy(exchangeAccounts.nextSyncAt, now)))
    .orderBy(asc(exchangeAccounts.nextSyncAt), asc(exchangeAccounts.id));
  return rows.map((row) => ({ ...row.account, label: row.label, chain: row.chain, address: row.address }));
}

/** Removes an account by its label, with its wallet; its stored trades stay, as for an untracked wallet. */
export async function deleteExchangeAccount(db: Db, input: { workspaceId: string; label: string; actor: string }): Promise<ExchangeAccountListing> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const [found] = await tx
      .select(listing)
      .from(exchangeAccounts)
      .innerJoin(wallets, eq(wallets.id, exchangeAccounts.walletId))
      .where(and(eq(exchangeAccounts.workspaceId, input.workspaceId), sql`lower(${wallets.label}) = lower(${input.label})`));
    if (!found) throw new DbNotFound({ entity: 'exchange_account', label: input.label });
    await tx.delete(wallets).where(eq(wallets.id, found.account.walletId));
    await appendAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'exchange_remove',
      details: { id: found.account.id, exchange: found.account.exchange, label: found.label },
    });
    return { ...found.account, label: found.label, chain: found.chain, address: found.address };
  });
}

/** What one sync of an account left: its cursor, when to sync next, and why it failed (null when it worked). */
export type ExchangeSyncOutcome = {
  cursor?: Record<string, number>;
  syncedAt: Date | null;
  nextSyncAt: Date;
  failures: number;
  lastError: string | null;
  refused: boolean;
};

/** Saves the outcome of a sync; the cursor only moves forward with the trades already stored. */
export async function saveExchangeSync(db: Db, id: number, outcome: ExchangeSyncOutcome): Promise<void> {
  await db
    .update(exchangeAccounts)
    .set({
      ...(outcome.cursor ? { cursor: outcome.cursor } : {}),
      ...(outcome.syncedAt ? { lastSyncAt: outcome.syncedAt } : {}),
      nextSyncAt: outcome.nextSyncAt,
      failures: outcome.failures,
      lastError: outcome.lastError,
      refusedAt: outcome.refused ? new Date() : null,
    })
    .where(eq(exchangeAccounts.id, id));
}

/** Token rows for an exchange's symbols (address = symbol), so that trades and alerts show them; a known symbol keeps its row. */
export async function saveExchangeAssets(db: Db, chain: string, assets: readonly { symbol: string; decimals: number; isStablecoin: boolean }[]): Promise<void> {
  if (assets.length === 0) return;
  await db
    .insert(tokens)
    .values(assets.map((asset) => ({ chain, address: asset.symbol, symbol: asset.symbol, name: asset.symbol, decimals: asset.decimals, isStablecoin: asset.isStablecoin })))
    .onConflictDoNothing();
}

import { listExchangeAccounts as listAccounts } from '../db/exchangeQueries.js';
import type { ExchangeName } from '../tracker/exchange/exchangeKinds.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** How an account's sync stands: `ok`, `waiting` (never synced yet), `retrying` (the exchange failed, backing off) or `refused` (the key). */
export type ExchangeAccountStatus = 'ok' | 'waiting' | 'retrying' | 'refused';

/** An account as listed: never its key, only the key's last characters. */
export type ExchangeAccountView = {
  exchange: ExchangeName;
  label: string;
  keyEnding: string;
  lastSyncAt: Date | null;
  status: ExchangeAccountStatus;
  /** Why the last sync failed, when it did. */
  problem: string | null;
};

/** The workspace's exchange accounts with how their sync stands. */
export async function listExchangeAccounts(deps: Pick<UseCaseDeps, 'db' | 'workspaceId'>): Promise<ExchangeAccountView[]> {
  const rows = await listAccounts(deps.db, deps.workspaceId);
  return rows.map((row) => ({
    exchange: row.exchange,
    label: row.label,
    keyEnding: row.keyEnding,
    lastSyncAt: row.lastSyncAt,
    status: row.refusedAt ? 'refused' : row.lastError ? 'retrying' : row.lastSyncAt ? 'ok' : 'waiting',
    problem: row.lastError,
  }));
}

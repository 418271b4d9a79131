import { listWallets as loadWallets } from '../db/walletQueries.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** One tracked address of the workspace: its chains and groups. */
export type WalletEntry = { label: string; address: string; chains: string[]; groups: string[]; addedAt: Date };

/** The workspace's wallets, one entry per address, ordered by label. */
export async function listWallets(deps: Pick<UseCaseDeps, 'db' | 'workspaceId'>): Promise<WalletEntry[]> {
  const byAddress = new Map<string, WalletEntry>();
  for (const row of await loadWallets(deps.db, deps.workspaceId)) {
    const entry = byAddress.get(row.address) ?? { label: row.label, address: row.address, chains: [], groups: [], addedAt: row.addedAt };
    entry.chains.push(row.chain);
    for (const group of row.groups) if (!entry.groups.includes(group)) entry.groups.push(group);
    byAddress.set(row.address, entry);
  }
  return [...byAddress.values()];
}

import { listGroups as loadGroups } from '../db/groupQueries.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** A group and its member wallets, one entry per address with the chains it is a member on. */
export type GroupEntry = { name: string; wallets: { label: string; address: string; chains: string[] }[] };

/** The workspace's groups with their wallets, ordered by name. */
export async function listGroups(deps: Pick<UseCaseDeps, 'db' | 'workspaceId'>): Promise<GroupEntry[]> {
  return (await loadGroups(deps.db, deps.workspaceId)).map((group) => {
    const wallets: GroupEntry['wallets'] = [];
    for (const member of group.members) {
      const entry = wallets.find((wallet) => wallet.label === member.label);
      if (entry) entry.chains.push(member.chain);
      else wallets.push({ label: member.label, address: member.address, chains: [member.chain] });
    }
    return { name: group.name, wallets };
  });
}

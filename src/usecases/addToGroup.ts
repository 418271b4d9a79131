import { addToGroup as storeMembers, type Group } from '../db/groupQueries.js';
import type { TrackedWallet } from '../db/walletQueries.js';
import { UserInputError } from '../errors/LookoutError.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** Adds wallets (labels or addresses) to a group; answers with the wallet rows that were not members yet. */
export async function addToGroup(deps: UseCaseDeps, name: string, wallets: readonly string[]): Promise<{ group: Group; added: TrackedWallet[] }> {
  if (wallets.length === 0) throw new UserInputError(`Name at least one wallet to add to group ${name}.`);
  return storeMembers(deps.db, { workspaceId: deps.workspaceId, actor: deps.actor, name, refs: [...wallets] });
}

import { removeFromGroup as removeMembers, type Group } from '../db/groupQueries.js';
import type { TrackedWallet } from '../db/walletQueries.js';
import { UserInputError } from '../errors/LookoutError.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** Removes wallets from a group; a wallet that is not a member is refused and nothing is removed. */
export async function removeFromGroup(deps: UseCaseDeps, name: string, wallets: readonly string[]): Promise<{ group: Group; removed: TrackedWallet[] }> {
  if (wallets.length === 0) throw new UserInputError(`Name at least one wallet to remove from group ${name}.`);
  return removeMembers(deps.db, { workspaceId: deps.workspaceId, actor: deps.actor, name, refs: [...wallets] });
}

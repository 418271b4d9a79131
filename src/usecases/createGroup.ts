import { createGroup as storeGroup, type Group } from '../db/groupQueries.js';
import type { UseCaseDeps } from './UseCaseDeps.js';
import { validateGroupName } from './validateNames.js';

/** Creates an empty group of wallets, within the workspace's limit of groups. */
export async function createGroup(deps: UseCaseDeps, name: string): Promise<Group> {
  return storeGroup(deps.db, {
    workspaceId: deps.workspaceId,
    actor: deps.actor,
    name: validateGroupName(name),
    maxGroups: deps.config.limits.groupsPerWorkspace,
  });
}

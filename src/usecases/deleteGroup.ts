import { deleteGroup as removeGroup, type Group } from '../db/groupQueries.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** A deleted group and the alert routes that went with it, by id and destination. */
export type DeletedGroup = Group & { routes: { id: number; destination: string }[] };

/** Deletes a group; its wallets stay tracked, its alert routes are removed with it. */
export async function deleteGroup(deps: UseCaseDeps, name: string): Promise<DeletedGroup> {
  return removeGroup(deps.db, { workspaceId: deps.workspaceId, actor: deps.actor, name });
}

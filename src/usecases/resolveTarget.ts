import { findGroup } from '../db/groupQueries.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** What one typed name means where a group or a wallet may be named (`/pnl whales`). */
export type Target = { group: string } | { wallet: string } | Record<string, never>;

/** A name is a group's when the workspace has a group by that name (in any case), otherwise a wallet's; nothing named is the whole workspace. */
export async function resolveTarget(deps: Pick<UseCaseDeps, 'db' | 'workspaceId'>, name: string | undefined): Promise<Target> {
  if (name === undefined) return {};
  return (await findGroup(deps.db, deps.workspaceId, name)) ? { group: name } : { wallet: name };
}

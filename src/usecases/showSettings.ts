import { getWorkspaceSettings, type WorkspaceSettings } from '../db/workspaceSettings.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type { WorkspaceSettings } from '../db/workspaceSettings.js';

/** The workspace's alert and PnL settings. */
export async function showSettings(deps: Pick<UseCaseDeps, 'db' | 'workspaceId'>): Promise<WorkspaceSettings> {
  return getWorkspaceSettings(deps.db, deps.workspaceId);
}

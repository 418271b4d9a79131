import { listAlertRoutes as loadAlertRoutes, type AlertRoute } from '../db/alertRouteQueries.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type { AlertRoute } from '../db/alertRouteQueries.js';

/** The workspace's alert routes, with their group's name and whether they are paused. */
export async function listAlertRoutes(deps: Pick<UseCaseDeps, 'db' | 'workspaceId'>): Promise<AlertRoute[]> {
  return loadAlertRoutes(deps.db, deps.workspaceId);
}

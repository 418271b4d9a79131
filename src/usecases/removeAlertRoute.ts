import { removeAlertRoute as deleteAlertRoute, type AlertRoute } from '../db/alertRouteQueries.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** Removes one of the workspace's alert routes by its id. */
export async function removeAlertRoute(deps: UseCaseDeps, routeId: number): Promise<AlertRoute> {
  return deleteAlertRoute(deps.db, { workspaceId: deps.workspaceId, actor: deps.actor, routeId });
}

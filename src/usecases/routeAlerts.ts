import { resumeRoute, saveAlertRoute, type AlertRoute } from '../db/alertRouteQueries.js';
import { requireGroup, type Group } from '../db/groupQueries.js';
import { webhookRoute } from './webhookRoute.js';
import { parseTypes, parseUsd } from './parseAlertFilters.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type RouteAlertsArgs = {
  /** `discord:<channel id>`, `telegram:<chat id>` or `console`; ignored with `webhook`. */
  destination: string;
  /** Posts the alerts to this http(s) URL, signed with the secret; a route to the same URL and group is updated. */
  webhook?: { url: string; secret: string } | undefined;
  /** Only this group's wallets; all of the workspace's when absent. */
  group?: string | undefined;
  minUsd?: string | undefined;
  types?: string | undefined;
};

/** Routes a group's alerts (or all of them) to a destination with its own minimum and kinds; a paused route there resumes. */
export async function routeAlerts(deps: UseCaseDeps, args: RouteAlertsArgs): Promise<{ route: AlertRoute; group: Group | null }> {
  const webhook = args.webhook && (await webhookRoute(deps, args.webhook));
  const minUsd = args.minUsd === undefined ? null : parseUsd(args.minUsd);
  const types = args.types === undefined ? null : parseTypes(args.types);
  const group = args.group === undefined ? null : await requireGroup(deps.db, deps.workspaceId, args.group);
  const route = await saveAlertRoute(deps.db, {
    workspaceId: deps.workspaceId,
    actor: deps.actor,
    destination: args.destination,
    groupId: group?.id ?? null,
    minUsd,
    types,
    webhook,
  });
  await resumeRoute(deps.db, deps.workspaceId, route.id);
  return { route, group };
}

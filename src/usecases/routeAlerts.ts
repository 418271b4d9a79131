import { resumeRoute, saveAlertRoute, type AlertRoute } from '../db/alertRouteQueries.js';
import { requireGroup, type Group } from '../db/groupQueries.js';
import { UserInputError } from '../errors/LookoutError.js';
import { DEFAULT_SIGNAL } from '../tracker/multiWalletSignal.js';
import { webhookRoute } from './webhookRoute.js';
import { parseTypes, parseUsd } from './parseAlertFilters.js';
import { parseSignalSetting } from './parseSignalSetting.js';
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
  /**
   * The group's multi-wallet buy signal: `3/1h` (three wallets buying one token within an hour) or `off`.
   * A group route has it on with 3/1h unless told otherwise; a route without a group has none.
   */
  signal?: string | undefined;
};

/** Routes a group's alerts (or all of them) to a destination with its own minimum, kinds and signal; a paused route there resumes. */
export async function routeAlerts(deps: UseCaseDeps, args: RouteAlertsArgs): Promise<{ route: AlertRoute; group: Group | null }> {
  const minUsd = args.minUsd === undefined ? null : parseUsd(args.minUsd);
  const types = args.types === undefined ? null : parseTypes(args.types);
  const setting = args.signal === undefined ? undefined : parseSignalSetting(args.signal);
  if (args.group === undefined && setting) {
    throw new UserInputError('A signal counts the wallets of a group; add the group to the route, or leave the signal out.');
  }
  const group = args.group === undefined ? null : await requireGroup(deps.db, deps.workspaceId, args.group);
  // Note: after every other check, so that a refused route leaves no webhook endpoint behind.
  const webhook = args.webhook && (await webhookRoute(deps, args.webhook));
  const route = await saveAlertRoute(deps.db, {
    workspaceId: deps.workspaceId,
    actor: deps.actor,
    destination: args.destination,
    groupId: group?.id ?? null,
    minUsd,
    types,
    signal: group === null ? null : setting === undefined ? DEFAULT_SIGNAL : setting,
    webhook,
  });
  await resumeRoute(deps.db, deps.workspaceId, route.id);
  return { route, group };
}

import { listAlertRoutes, removeAlertRoute, resumeRoute, saveAlertRoute, type AlertRoute } from '../../db/alertRouteQueries.js';
import { requireGroup } from '../../db/groupQueries.js';
import { formatUsd } from '../../tracker/formatAmount.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { parseTypes, parseUsd } from './parseAlertFilters.js';

export type AlertRoutesArgs =
  | {
      action: 'route';
      /** `discord:<channel id>`, `telegram:<chat id>` or `console`. */
      destination: string;
      /** How people name the destination: `#trades`. */
      destinationName: string;
      group?: string | undefined;
      minUsd?: string | undefined;
      types?: string | undefined;
    }
  | { action: 'list'; describe: (destination: string) => string }
  | { action: 'remove'; routeId: number };

/** Routes a group's alerts (or all of them) to a destination with its own minimum and kinds; lists and removes routes. */
export async function alertRoutes(ctx: CommandContext, args: AlertRoutesArgs): Promise<Reply> {
  const who = { workspaceId: ctx.workspaceId, actor: ctx.actor };
  switch (args.action) {
    case 'route': {
      const group = args.group === undefined ? null : await requireGroup(ctx.db, ctx.workspaceId, args.group);
      const route = await saveAlertRoute(ctx.db, {
        ...who,
        destination: args.destination,
        groupId: group?.id ?? null,
        minUsd: args.minUsd === undefined ? null : parseUsd(args.minUsd),
        types: args.types === undefined ? null : parseTypes(args.types),
      });
      await resumeRoute(ctx.db, ctx.workspaceId, route.id);
      return {
        title: 'Alert route saved',
        tone: 'success',
        lines: [`Alerts of ${group ? `group ${group.name}` : 'all wallets'} go to ${args.destinationName}${filters(route)}.`],
        data: { id: route.id, destination: route.destination, group: group?.name ?? null, minUsd: route.minUsd, types: route.types },
      };
    }
    case 'list': {
      const routes = await listAlertRoutes(ctx.db, ctx.workspaceId);
      return {
        title: `Alert routes (${routes.length})`,
        tone: 'info',
        lines: routes.length
          ? routes.map(
              (route) =>
                `#${route.id}: ${route.groupName ? `group ${route.groupName}` : 'all wallets'} → ${args.describe(route.destination)}${filters(route)}${route.pausedAt ? ` (paused: ${route.pausedReason})` : ''}`,
            )
          : ['No alert routes yet; add one with /alerts route.'],
        data: routes,
      };
    }
    case 'remove': {
      const route = await removeAlertRoute(ctx.db, { ...who, routeId: args.routeId });
      return { tone: 'success', lines: [`Removed alert route #${route.id}.`], data: { id: route.id } };
    }
  }
}

function filters(route: Pick<AlertRoute, 'minUsd' | 'types'>): string {
  const parts: string[] = [];
  if (route.minUsd !== null) parts.push(`from ${formatUsd(route.minUsd)}`);
  if (route.types?.length) parts.push(`only ${route.types.join(', ')}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

import { formatUsd } from '../../tracker/formatAmount.js';
import { formatWindow, signalSetting } from '../../usecases/parseSignalSetting.js';
import { listAlertRoutes, type AlertRoute } from '../../usecases/listAlertRoutes.js';
import { removeAlertRoute } from '../../usecases/removeAlertRoute.js';
import { routeAlerts } from '../../usecases/routeAlerts.js';
import type { CommandContext } from '../commandContext.js';
import { webhookName } from '../../usecases/webhookName.js';
import type { Reply } from '../reply.js';
import { wordDbErrors } from './dbErrorMessage.js';

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
      /** The group's multi-wallet signal: `3/1h` or `off`. */
      signal?: string | undefined;
      /** Posts to this URL, signed with the secret, instead of `destination`. */
      webhook?: { url: string; secret: string } | undefined;
    }
  | { action: 'list'; describe: (destination: string) => string }
  | { action: 'remove'; routeId: number };

/** Routes a group's alerts (or all of them) to a destination with its own minimum and kinds; lists and removes routes. */
export async function alertRoutes(ctx: CommandContext, args: AlertRoutesArgs): Promise<Reply> {
  return wordDbErrors(() => alertRoutesReply(ctx, args));
}

async function alertRoutesReply(ctx: CommandContext, args: AlertRoutesArgs): Promise<Reply> {
  switch (args.action) {
    case 'route': {
      const { route, group } = await routeAlerts(ctx, args);
      const where = route.webhookUrl ? `the webhook ${webhookName(route.webhookUrl)}` : args.destinationName;
      return {
        title: 'Alert route saved',
        tone: 'success',
        lines: [
          `Alerts of ${group ? `group ${group.name}` : 'all wallets'} go to ${where}${filters(route)}.`,
          ...(route.webhookUrl ? ['Each POST is signed with the secret (Lookout-Signature); it is not shown again.'] : []),
        ],
        data: {
          id: route.id,
          destination: route.destination,
          group: group?.name ?? null,
          minUsd: route.minUsd,
          types: route.types,
          signal: signalSetting(route),
          ...(route.webhookUrl ? { webhook: webhookName(route.webhookUrl) } : {}),
        },
      };
    }
    case 'list': {
      const routes = await listAlertRoutes(ctx);
      return {
        title: `Alert routes (${routes.length})`,
        tone: 'info',
        lines: routes.length
          ? routes.map(
              (route) =>
                `#${route.id}: ${route.groupName ? `group ${route.groupName}` : 'all wallets'} → ${route.webhookUrl ? `webhook ${webhookName(route.webhookUrl)}` : args.describe(route.destination)}${filters(route)}${route.pausedAt ? ` (paused: ${route.pausedReason})` : ''}`,
            )
          : ['No alert routes yet; add one with /alerts route.'],
        data: routes.map(({ webhookUrl, ...route }) => ({ ...route, ...(webhookUrl ? { webhook: webhookName(webhookUrl) } : {}) })),
      };
    }
    case 'remove': {
      const route = await removeAlertRoute(ctx, args.routeId);
      return { tone: 'success', lines: [`Removed alert route #${route.id}.`], data: { id: route.id } };
    }
  }
}

function filters(route: Pick<AlertRoute, 'minUsd' | 'types' | 'groupId' | 'signalMinWallets' | 'signalWindowSeconds'>): string {
  const parts: string[] = [];
  if (route.minUsd !== null) parts.push(`from ${formatUsd(route.minUsd)}`);
  if (route.types?.length) parts.push(`only ${route.types.join(', ')}`);
  const signal = signalSetting(route);
  if (signal) parts.push(`signal when ${signal.minWallets} wallets buy one token within ${formatWindow(signal.windowSeconds)}`);
  else if (route.groupId !== null) parts.push('signal off');
  return parts.length ? ` (${parts.join('; ')})` : '';
}

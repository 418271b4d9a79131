import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Tx } from './openDatabase.js';
import { alertRoutes, groupMembers, wallets, workspaces } from './schema.js';

/** What routing needs to know of a new trade. */
export type RoutableTrade = { id: number; chain: string; wallet: string; kind: string; usdValue: string | null };
/** One alert to queue: a trade, the workspace it is for, and where it goes (`console`, `telegram:<chat>`, a route's destination). */
export type OutboxTarget = { tradeId: number; workspaceId: string; destination: string };

/** A workspace that tracks the trade's wallet, with its alert settings. */
export type RoutingTracker = {
  walletId: number;
  chain: string;
  address: string;
  workspaceId: string;
  platform: string;
  externalId: string;
  alertsEnabled: boolean;
  minUsd: string | null;
  types: string[] | null;
};
/** A route of one of those workspaces; paused routes are not loaded. The signal setting is null when it is off. */
export type RoutingRoute = {
  workspaceId: string;
  groupId: number | null;
  destination: string;
  minUsd: string | null;
  types: string[] | null;
  signalMinWallets?: number | null;
  signalWindowSeconds?: number | null;
};

/** Everything the routing decision reads, loaded in one place: trackers, their active routes and the group memberships routes use. */
export type RoutingData = {
  trackers: RoutingTracker[];
  routes: RoutingRoute[];
  /** `${groupId}:${walletId}` for each wallet in a group some route names. */
  memberships: ReadonlySet<string>;
};

/** The routing data for these trades: every workspace that tracks one of their wallets on its chain, with its active routes. */
export async function loadRoutingData(tx: Tx, trades: readonly Pick<RoutableTrade, 'chain' | 'wallet'>[]): Promise<RoutingData> {
  const empty: RoutingData = { trackers: [], routes: [], memberships: new Set() };
  if (trades.length === 0) return empty;
  const pairs = trades.map((trade) => and(eq(wallets.chain, trade.chain), eq(wallets.address, trade.wallet)));
  const trackers = await tx
    .select({
      walletId: wallets.id,
      chain: wallets.chain,
      address: wallets.address,
      workspaceId: workspaces.id,
      platform: workspaces.platform,
      externalId: workspaces.externalId,
      alertsEnabled: workspaces.alertsEnabled,
      minUsd: workspaces.alertsMinUsd,
      types: workspaces.alertsTypes,
    })
    .from(wallets)
    .innerJoin(workspaces, eq(workspaces.id, wallets.workspaceId))
    .where(or(...pairs));
  if (trackers.length === 0) return empty;

  const workspaceIds = [...new Set(trackers.map((row) => row.workspaceId))];
  const routes = await tx
    .select({
      workspaceId: alertRoutes.workspaceId,
      groupId: alertRoutes.groupId,
      destination: alertRoutes.destination,
      minUsd: alertRoutes.minUsd,
      types: alertRoutes.types,
      signalMinWallets: alertRoutes.signalMinWallets,
      signalWindowSeconds: alertRoutes.signalWindowSeconds,
    })
    .from(alertRoutes)
    .where(and(inArray(alertRoutes.workspaceId, workspaceIds), isNull(alertRoutes.pausedAt)));
  const groupIds = routes.map((route) => route.groupId).filter((id): id is number => id !== null);
  const memberships = groupIds.length
    ? await tx
        .select({ groupId: groupMembers.groupId, walletId: groupMembers.walletId })
        .from(groupMembers)
        .where(inArray(groupMembers.groupId, groupIds))
    : [];
  return { trackers, routes, memberships: new Set(memberships.map((row) => `${row.groupId}:${row.walletId}`)) };
}

import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Tx } from './openDatabase.js';
import { alertRoutes, groupMembers, wallets, workspaces } from './schema.js';

/** What routing needs to know of a new trade. */
export type RoutableTrade = { id: number; chain: string; wallet: string; kind: string; usdValue: string | null };
export type OutboxTarget = { tradeId: number; workspaceId: string; destination: string };

type Filter = { minUsd: string | null; types: string[] | null };

/**
 * Decides where each trade's alert goes: every workspace that tracks the wallet on that chain, to each
 * of its routes whose group, minimum and types match, or, without routes, to its default destination
 * (the console for local workspaces, the chat itself for Telegram). A trade that a minimum in USD
 * applies to but that has no USD value does not pass the minimum.
 */
export async function routeTrades(tx: Tx, trades: RoutableTrade[]): Promise<OutboxTarget[]> {
  if (trades.length === 0) return [];
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
  if (trackers.length === 0) return [];

  const workspaceIds = [...new Set(trackers.map((row) => row.workspaceId))];
  const routes = await tx
    .select()
    .from(alertRoutes)
    .where(and(inArray(alertRoutes.workspaceId, workspaceIds), isNull(alertRoutes.pausedAt)));
  const groupIds = routes.map((route) => route.groupId).filter((id): id is number => id !== null);
  const memberships = groupIds.length
    ? await tx
        .select({ groupId: groupMembers.groupId, walletId: groupMembers.walletId })
        .from(groupMembers)
        .where(inArray(groupMembers.groupId, groupIds))
    : [];
  const inGroup = new Set(memberships.map((row) => `${row.groupId}:${row.walletId}`));

  const targets: OutboxTarget[] = [];
  for (const trade of trades) {
    for (const tracker of trackers) {
      if (tracker.chain !== trade.chain || tracker.address !== trade.wallet || !tracker.alertsEnabled) continue;
      if (!passes(trade, { minUsd: tracker.minUsd, types: tracker.types })) continue;
      const own = routes.filter((route) => route.workspaceId === tracker.workspaceId);
      const destinations = own.length
        ? own
            .filter((route) => route.groupId === null || inGroup.has(`${route.groupId}:${tracker.walletId}`))
            .filter((route) => passes(trade, { minUsd: route.minUsd, types: route.types }))
            .map((route) => route.destination)
        : defaultDestination(tracker.platform, tracker.externalId);
      for (const destination of destinations) targets.push({ tradeId: trade.id, workspaceId: tracker.workspaceId, destination });
    }
  }
  return dedupe(targets);
}

function defaultDestination(platform: string, externalId: string): string[] {
  if (platform === 'local') return ['console'];
  if (platform === 'telegram') return [`telegram:${externalId}`];
  return [];
}

function passes(trade: RoutableTrade, filter: Filter): boolean {
  if (filter.types && filter.types.length > 0 && !filter.types.includes(trade.kind)) return false;
  if (filter.minUsd !== null) {
    if (trade.usdValue === null) return false;
    return compareDecimal(trade.usdValue, filter.minUsd) >= 0;
  }
  return true;
}

/** Compares two non-negative-or-negative decimal strings exactly. */
export function compareDecimal(a: string, b: string): number {
  const scale = (value: string) => {
    const [whole = '0', fraction = ''] = value.replace(/^-/, '').split('.');
    const digits = BigInt(whole + fraction.padEnd(30, '0').slice(0, 30));
    return value.startsWith('-') ? -digits : digits;
  };
  const x = scale(a);
  const y = scale(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

function dedupe(targets: OutboxTarget[]): OutboxTarget[] {
  const seen = new Set<string>();
  return targets.filter((target) => {
    const key = `${target.tradeId}|${target.workspaceId}|${target.destination}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

import type { OutboxTarget, RoutableTrade, RoutingData } from '../db/alertRouting.js';

type Filter = { minUsd: string | null; types: string[] | null };

/**
 * Decides where a new trade's alert goes: every workspace that tracks the wallet on that chain, to each
 * of its routes whose group, minimum and types match, or, without routes, to its default destination
 * (the console for local workspaces, the chat itself for Telegram). A trade that a minimum in USD
 * applies to but that has no USD value does not pass the minimum. Pure: the data comes loaded.
 */
export function routeAlert(trade: RoutableTrade, data: RoutingData): OutboxTarget[] {
  const targets: OutboxTarget[] = [];
  for (const tracker of data.trackers) {
    if (tracker.chain !== trade.chain || tracker.address !== trade.wallet || !tracker.alertsEnabled) continue;
    if (!passes(trade, { minUsd: tracker.minUsd, types: tracker.types })) continue;
    const own = data.routes.filter((route) => route.workspaceId === tracker.workspaceId);
    const destinations = own.length
      ? own
          .filter((route) => route.groupId === null || data.memberships.has(`${route.groupId}:${tracker.walletId}`))
          .filter((route) => passes(trade, { minUsd: route.minUsd, types: route.types }))
          .map((route) => route.destination)
      : defaultDestination(tracker.platform, tracker.externalId);
    for (const destination of destinations) targets.push({ tradeId: trade.id, workspaceId: tracker.workspaceId, destination });
  }
  return dedupe(targets);
}

/** Where a workspace without routes gets its alerts; a Discord server has no default channel and needs a route. */
export function defaultDestination(platform: string, externalId: string): string[] {
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

/** Compares two decimal strings (either sign) exactly. */
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

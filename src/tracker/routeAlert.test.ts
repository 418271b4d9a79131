import { describe, expect, it } from 'vitest';
import type { RoutingData, RoutingRoute, RoutingTracker } from '../db/alertRouting.js';
import { compareDecimal, routeAlert } from './routeAlert.js';

const trade = { id: 7, chain: 'base', wallet: '0xaa', kind: 'buy', usdValue: '250.5' };

function tracker(overrides: Partial<RoutingTracker> = {}): RoutingTracker {
  return {
    walletId: 1,
    chain: 'base',
    address: '0xaa',
    workspaceId: 'local',
    platform: 'local',
    externalId: 'local',
    alertsEnabled: true,
    minUsd: null,
    types: null,
    ...overrides,
  };
}

function route(overrides: Partial<RoutingRoute> = {}): RoutingRoute {
  return { workspaceId: 'discord:1', groupId: null, destination: 'discord:chan', minUsd: null, types: null, ...overrides };
}

const data = (trackers: RoutingTracker[], routes: RoutingRoute[] = [], memberships: string[] = []): RoutingData => ({
  trackers,
  routes,
  memberships: new Set(memberships),
});

describe('routeAlert', () => {
  it('behavior: a workspace without routes gets its default destination: the console locally, the chat on Telegram, nothing on Discord', () => {
    const targets = routeAlert(
      trade,
      data([
        tracker(),
        tracker({ walletId: 2, workspaceId: 'telegram:42', platform: 'telegram', externalId: '42' }),
        tracker({ walletId: 3, workspaceId: 'discord:9', platform: 'discord', externalId: '9' }),
      ]),
    );
    expect(targets).toEqual([
      { tradeId: 7, workspaceId: 'local', destination: 'console' },
      { tradeId: 7, workspaceId: 'telegram:42', destination: 'telegram:42' },
    ]);
  });

  it('behavior: routes by group: a route of a group gets only its members; a route without group gets every wallet', () => {
    const discord = tracker({ walletId: 5, workspaceId: 'discord:1', platform: 'discord', externalId: '1' });
    const routes = [route({ groupId: 3, destination: 'discord:whales' }), route({ groupId: 4, destination: 'discord:other' }), route({ destination: 'discord:all' })];
    expect(routeAlert(trade, data([discord], routes, ['3:5'])).map((target) => target.destination)).toEqual(['discord:whales', 'discord:all']);
  });

  it('behavior: a minimum in USD passes at or above it, and never an unpriced trade', () => {
    const routes = [route({ minUsd: '250.5', destination: 'discord:big' }), route({ minUsd: '1000', destination: 'discord:huge' })];
    const discord = tracker({ workspaceId: 'discord:1', platform: 'discord' });
    expect(routeAlert(trade, data([discord], routes)).map((target) => target.destination)).toEqual(['discord:big']);
    expect(routeAlert({ ...trade, usdValue: null }, data([discord], routes))).toEqual([]);
    expect(routeAlert({ ...trade, usdValue: null }, data([discord], [route()]))).toHaveLength(1);
    expect(routeAlert({ ...trade, usdValue: null }, data([tracker({ minUsd: '1' })]))).toEqual([]);
  });

  it('behavior: types filter on the workspace and on each route', () => {
    const discord = tracker({ workspaceId: 'discord:1', platform: 'discord' });
    expect(routeAlert(trade, data([discord], [route({ types: ['sell'] })]))).toEqual([]);
    expect(routeAlert(trade, data([discord], [route({ types: ['sell', 'buy'] })]))).toHaveLength(1);
    expect(routeAlert(trade, data([tracker({ types: ['transfer_in'] })]))).toEqual([]);
    expect(routeAlert(trade, data([tracker({ types: [] })]))).toHaveLength(1);
  });

  it('behavior: paused routes are not loaded, so a workspace whose routes are all paused falls back to its default', () => {
    // Note: loadRoutingData leaves paused routes out; what routeAlert sees is a workspace without routes.
    const telegram = tracker({ workspaceId: 'telegram:42', platform: 'telegram', externalId: '42' });
    expect(routeAlert(trade, data([telegram], []))).toEqual([{ tradeId: 7, workspaceId: 'telegram:42', destination: 'telegram:42' }]);
  });

  it('behavior: alerts turned off, another chain or another wallet get nothing', () => {
    expect(routeAlert(trade, data([tracker({ alertsEnabled: false })]))).toEqual([]);
    expect(routeAlert(trade, data([tracker({ chain: 'ethereum' })]))).toEqual([]);
    expect(routeAlert(trade, data([tracker({ address: '0xbb' })]))).toEqual([]);
  });

  it('behavior: one destination reached twice (two matching routes, a wallet in two groups) gets one alert', () => {
    const discord = tracker({ walletId: 5, workspaceId: 'discord:1', platform: 'discord' });
    const routes = [route({ groupId: 3, destination: 'discord:x' }), route({ groupId: 4, destination: 'discord:x' })];
    expect(routeAlert(trade, data([discord, discord], routes, ['3:5', '4:5']))).toEqual([{ tradeId: 7, workspaceId: 'discord:1', destination: 'discord:x' }]);
  });

  it('behavior: compares decimals exactly, signs included', () => {
    expect(compareDecimal('0.1', '0.10')).toBe(0);
    expect(compareDecimal('-1', '0')).toBe(-1);
    expect(compareDecimal('100000000000000000000.000000000000000000000001', '100000000000000000000')).toBe(1);
  });
});

import type { RestRoute } from './restRouter.js';
import type { SimulatedDiscord } from './simulatedDiscord.js';

// A day of identifies, as Discord grants a small bot.
const SESSION_START_LIMIT = { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 };

/** The gateway URL that discord.js asks for before it connects. */
export function applicationRoutes(discord: SimulatedDiscord): RestRoute[] {
  return [
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handle: () => ({ status: 200, json: { url: discord.gatewayUrl, shards: 1, session_start_limit: SESSION_START_LIMIT } }),
    },
  ];
}

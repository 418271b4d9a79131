import { discordErrors } from './discordApiError.js';
import type { RestRoute } from './restRouter.js';
import type { SimulatedDiscord } from './simulatedDiscord.js';

// A day of identifies, as Discord grants a small bot.
const SESSION_START_LIMIT = { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 };

/** The gateway URL, the bot user and its application. */
export function applicationRoutes(discord: SimulatedDiscord): RestRoute[] {
  return [
    { method: 'GET', pattern: '/gateway', auth: false, handle: () => ({ status: 200, json: { url: discord.gatewayUrl } }) },
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handle: () => ({ status: 200, json: { url: discord.gatewayUrl, shards: 1, session_start_limit: SESSION_START_LIMIT } }),
    },
    { method: 'GET', pattern: '/users/@me', auth: true, handle: () => ({ status: 200, json: discord.bot }) },
    {
      method: 'GET',
      pattern: '/users/:user',
      auth: true,
      handle({ params }) {
        const user = discord.guilds.user(params['user'] ?? '');
        if (user === undefined) throw discordErrors.unknownUser();
        return { status: 200, json: user };
      },
    },
    { method: 'GET', pattern: '/applications/@me', auth: true, handle: () => ({ status: 200, json: discord.application }) },
    { method: 'GET', pattern: '/oauth2/applications/@me', auth: true, handle: () => ({ status: 200, json: discord.application }) },
  ];
}

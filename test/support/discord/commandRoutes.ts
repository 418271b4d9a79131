import { discordErrors } from './discordApiError.js';
import type { RestContext, RestRoute } from './restRouter.js';
import type { SimulatedDiscord } from './simulatedDiscord.js';

/** Slash command registration, global and per guild, by bulk overwrite (the one way Lookout registers them). */
export function commandRoutes(discord: SimulatedDiscord): RestRoute[] {
  const { commands } = discord;
  // The scope of a request: null for global commands, else a guild the bot is in.
  const scopeOf = ({ params }: RestContext): string | null => {
    if (params['app'] !== discord.application.id) throw discordErrors.unknownApplication();
    const guildId = params['guild'];
    if (guildId === undefined) return null;
    if (discord.guilds.guild(guildId) === undefined) throw discordErrors.missingAccess();
    return guildId;
  };
  const routes: RestRoute[] = [];
  for (const base of ['/applications/:app/commands', '/applications/:app/guilds/:guild/commands']) {
    routes.push(
      {
        method: 'PUT',
        pattern: base,
        auth: true,
        handle: (context) => ({ status: 200, json: commands.overwrite(scopeOf(context), context.body.json) }),
      },
    );
  }
  return routes;
}

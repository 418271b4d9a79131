import { discordErrors } from './discordApiError.js';
import type { RestContext, RestRoute } from './restRouter.js';
import type { SimulatedDiscord } from './simulatedDiscord.js';

/** Slash command registration, global and per guild: bulk overwrite, create, read, edit, delete. */
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
      { method: 'GET', pattern: base, auth: true, handle: (context) => ({ status: 200, json: commands.list(scopeOf(context)) }) },
      {
        method: 'PUT',
        pattern: base,
        auth: true,
        handle: (context) => ({ status: 200, json: commands.overwrite(scopeOf(context), context.body.json) }),
      },
      {
        method: 'POST',
        pattern: base,
        auth: true,
        handle(context) {
          const { command, created } = commands.upsert(scopeOf(context), context.body.json);
          return { status: created ? 201 : 200, json: command };
        },
      },
      {
        method: 'GET',
        pattern: `${base}/:command`,
        auth: true,
        handle: (context) => ({ status: 200, json: commands.get(scopeOf(context), context.params['command'] ?? '') }),
      },
      {
        method: 'PATCH',
        pattern: `${base}/:command`,
        auth: true,
        handle: (context) => ({
          status: 200,
          json: commands.edit(scopeOf(context), context.params['command'] ?? '', context.body.json),
        }),
      },
      {
        method: 'DELETE',
        pattern: `${base}/:command`,
        auth: true,
        handle(context) {
          commands.remove(scopeOf(context), context.params['command'] ?? '');
          return { status: 204 };
        },
      },
    );
  }
  return routes;
}

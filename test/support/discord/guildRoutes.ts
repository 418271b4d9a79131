import { discordErrors } from './discordApiError.js';
import type { RestContext, RestRoute } from './restRouter.js';
import type { SimulatedGuild } from './simulatedGuilds.js';
import type { SimulatedDiscord } from './simulatedDiscord.js';

/** What discord.js fetches of a guild: the guild, its channels, roles and members. */
export function guildRoutes(discord: SimulatedDiscord): RestRoute[] {
  const { guilds } = discord;
  const guildOf = ({ params }: RestContext): SimulatedGuild => {
    const guild = guilds.guild(params['guild'] ?? '');
    if (guild === undefined) throw discordErrors.unknownGuild();
    return guild;
  };
  return [
    {
      method: 'GET',
      pattern: '/guilds/:guild',
      auth: true,
      handle(context) {
        const guild = guildOf(context);
        const counts =
          context.query.get('with_counts') === 'true'
            ? { approximate_member_count: guild.members.size, approximate_presence_count: 0 }
            : {};
        return { status: 200, json: { ...guilds.apiGuild(guild.id), ...counts } };
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/channels',
      auth: true,
      handle(context) {
        const channels = guildOf(context).channelIds.flatMap((id) => {
          const channel = guilds.channel(id);
          return channel === undefined ? [] : [guilds.apiChannel(channel)];
        });
        return { status: 200, json: channels };
      },
    },
    { method: 'GET', pattern: '/guilds/:guild/roles', auth: true, handle: (context) => ({ status: 200, json: guildOf(context).roles }) },
    {
      method: 'GET',
      pattern: '/guilds/:guild/members/:user',
      auth: true,
      handle(context) {
        const member = guildOf(context).members.get(context.params['user'] ?? '');
        if (member === undefined) throw discordErrors.unknownMember();
        return { status: 200, json: member };
      },
    },
    {
      method: 'GET',
      pattern: '/guilds/:guild/members',
      auth: true,
      handle(context) {
        const limit = Math.min(1000, Math.max(1, Number(context.query.get('limit') ?? 1)));
        return { status: 200, json: [...guildOf(context).members.values()].slice(0, limit) };
      },
    },
  ];
}

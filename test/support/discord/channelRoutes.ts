import { ChannelType } from 'discord.js';

import { discordErrors } from './discordApiError.js';
import { isJsonObject } from './isJsonObject.js';
import type { RestContext, RestRoute } from './restRouter.js';
import type { SimulatedChannel } from './simulatedGuilds.js';
import type { SimulatedDiscord } from './simulatedDiscord.js';

const TEXT_CHANNEL_TYPES = new Set<ChannelType>([
  ChannelType.GuildText,
  ChannelType.GuildVoice,
  ChannelType.GuildAnnouncement,
  ChannelType.AnnouncementThread,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.GuildStageVoice,
]);

const MAX_NONCE_LENGTH = 25;
// Note: Discord keeps nonces "for a few minutes"; five is the figure used here.
const NONCE_MEMORY_MS = 5 * 60_000;

/** Channels and the messages the bot sends to them. */
export function channelRoutes(discord: SimulatedDiscord): RestRoute[] {
  const { guilds, messages } = discord;
  const channelOf = ({ params }: RestContext): SimulatedChannel => {
    const channel = guilds.channel(params['channel'] ?? '');
    if (channel === undefined) throw discordErrors.unknownChannel();
    return channel;
  };
  const jsonBody = (context: RestContext): Record<string, unknown> => {
    const { json } = context.body;
    return isJsonObject(json) ? json : {};
  };

  return [
    {
      method: 'GET',
      pattern: '/channels/:channel',
      auth: true,
      handle: (context) => ({ status: 200, json: guilds.apiChannel(channelOf(context)) }),
    },
    {
      method: 'POST',
      pattern: '/channels/:channel/messages',
      auth: true,
      handle(context) {
        const channel = channelOf(context);
        if (!TEXT_CHANNEL_TYPES.has(channel.type)) throw discordErrors.nonTextChannel();
        if (channel.denied) throw discordErrors.missingPermissions();
        const body = jsonBody(context);
        const nonce = body['nonce'];
        if (nonce !== undefined && String(nonce).length > MAX_NONCE_LENGTH) {
          throw discordErrors.invalidFormBody([{ path: 'nonce', code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_NONCE_LENGTH} or fewer in length.` }]);
        }
        // Discord answers a create whose nonce it saw from the same author minutes ago with that message, when asked to.
        if (nonce !== undefined && body['enforce_nonce'] === true) {
          const existing = messages.byNonce(String(nonce), NONCE_MEMORY_MS);
          if (existing !== undefined) return { status: 200, json: messages.toApi(existing) };
        }
        const message = messages.create({ channelId: channel.id, body, files: context.body.files });
        return { status: 200, json: messages.toApi(message) };
      },
    },
  ];
}

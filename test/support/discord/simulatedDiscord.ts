import { ApplicationFlags, type APIApplication, type APIUser, type UserFlags } from 'discord.js';

import { createApplicationCommands, type ApplicationCommands } from './applicationCommands.js';
import { createDiscordGateway, type DiscordGateway } from './discordGateway.js';
import { createInteractionLog, type InteractionLog } from './interactionLog.js';
import { createMessageStore, type MessageStore } from './messageStore.js';
import { createSimulatedGuilds, type SimulatedGuilds } from './simulatedGuilds.js';
import { createSnowflakes } from './snowflakes.js';

/** Everything the simulated Discord holds; REST routes and the gateway read and change it. */
export type SimulatedDiscord = {
  baseUrl: string;
  gatewayUrl: string;
  resumeUrl: string;
  /** The bot token; null accepts any. */
  token: string | null;
  application: APIApplication;
  bot: APIUser;
  nextId: () => string;
  guilds: SimulatedGuilds;
  commands: ApplicationCommands;
  messages: MessageStore;
  interactions: InteractionLog;
  gateway: DiscordGateway;
};

/** Options that shape the simulated Discord. */
export type SimulatedDiscordOptions = {
  baseUrl: string;
  token: string | null;
  applicationId?: string;
  botName: string;
  heartbeatIntervalMs: number;
};

// GatewayMessageContent limited, as for a bot in fewer than 100 guilds that asked for nothing more.
const APPLICATION_FLAGS = ApplicationFlags.GatewayMessageContentLimited;

/** Creates the state of a simulated Discord with one bot and no guilds. */
export function createSimulatedDiscord(options: SimulatedDiscordOptions): SimulatedDiscord {
  const nextId = createSnowflakes();
  const applicationId = options.applicationId ?? nextId();
  const wsBase = options.baseUrl.replace(/^http/, 'ws');
  // A bot user has its application's id, as on Discord.
  const bot: APIUser = {
    id: applicationId,
    username: options.botName,
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
    system: false,
    mfa_enabled: false,
    verified: true,
    flags: 0 as UserFlags,
    public_flags: 0 as UserFlags,
  };
  const application: APIApplication = {
    id: applicationId,
    name: options.botName,
    icon: null,
    description: '',
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    team: null,
    flags: APPLICATION_FLAGS,
    flags_new: String(APPLICATION_FLAGS),
    owner: { id: nextId(), username: 'owner', discriminator: '0', global_name: null, avatar: null },
    summary: '',
    bot,
  };
  const guilds = createSimulatedGuilds(bot, nextId);
  const state: SimulatedDiscord = {
    baseUrl: options.baseUrl,
    gatewayUrl: `${wsBase}/gateway`,
    resumeUrl: `${wsBase}/gateway-resume`,
    token: options.token,
    application,
    bot,
    nextId,
    guilds,
    commands: createApplicationCommands(applicationId, nextId),
    messages: createMessageStore(bot, applicationId, options.baseUrl, nextId),
    interactions: createInteractionLog(),
    gateway: createDiscordGateway({
      heartbeatIntervalMs: options.heartbeatIntervalMs,
      tokenIsValid: (token) => token.length > 0 && (options.token === null || token === options.token),
      nextSessionId: () => nextId().slice(-12).padStart(32, 'f'),
      ready: (sessionId) => ({
        v: 10,
        user: bot,
        guilds: guilds.all().map((guild) => ({ id: guild.id, unavailable: true })),
        session_id: sessionId,
        resume_gateway_url: state.resumeUrl,
        shard: [0, 1],
        application: { id: applicationId, flags: APPLICATION_FLAGS },
        user_settings: {},
        relationships: [],
        private_channels: [],
        presences: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: [],
      }),
      guildCreates: () => guilds.all().map((guild) => guilds.guildCreate(guild.id)),
    }),
  };
  return state;
}

import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  Locale,
  OverwriteType,
  PermissionFlagsBits,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type RoleFlags,
} from 'discord.js';

import { isSnowflake } from './snowflakes.js';

/** A channel of a simulated guild; `type` defaults to a text channel. */
export type ChannelDefinition = { id: string; name: string; type?: ChannelType; parentId?: string; topic?: string };

/** An extra role of a simulated guild; `permissions` is a bitfield string. */
export type RoleDefinition = { id: string; name: string; permissions: string };

/** A guild the bot is in. @everyone and the bot's own role are added. */
export type GuildDefinition = {
  name: string;
  channels?: ChannelDefinition[];
  roles?: RoleDefinition[];
  /** The owner's user id; a made-up member otherwise. */
  ownerId?: string;
};

/** A channel as the server holds it. */
export type SimulatedChannel = {
  id: string;
  guildId: string;
  name: string;
  type: ChannelType;
  parentId: string | null;
  topic: string | null;
  position: number;
  /** The bot lost Send Messages, Embed Links and Attach Files here (a member overwrite). */
  denied: boolean;
};

/** A guild as the server holds it. */
export type SimulatedGuild = {
  id: string;
  name: string;
  ownerId: string;
  joinedAt: string;
  roles: APIRole[];
  channelIds: string[];
  members: Map<string, APIGuildMember>;
};

/** A channel as the API shows it (the fields of a guild text, category or voice channel). */
export type ApiGuildChannel = {
  id: string;
  type: ChannelType;
  guild_id: string;
  name: string;
  position: number;
  parent_id: string | null;
  topic: string | null;
  nsfw: boolean;
  last_message_id: string | null;
  rate_limit_per_user: number;
  flags: number;
  permission_overwrites: Array<{ id: string; type: OverwriteType; allow: string; deny: string }>;
};

/** The GUILD_CREATE dispatch data, with channels in the shape this server builds them. */
export type GuildCreatePayload = Omit<GatewayGuildCreateDispatchData, 'channels'> & { channels: ApiGuildChannel[] };

/** The guilds, channels and members of the simulated Discord. */
export type SimulatedGuilds = {
  define(id: string, definition: GuildDefinition): SimulatedGuild;
  guild(id: string): SimulatedGuild | undefined;
  all(): SimulatedGuild[];
  /** A channel that exists; a deleted one is gone. */
  channel(id: string): SimulatedChannel | undefined;
  deleteChannel(id: string): SimulatedChannel;
  setDenied(id: string, denied: boolean): SimulatedChannel;
  /** The member `user` is (or would be) in a guild, with these roles; stores nothing. */
  describeMember(guildId: string, user: APIUser, roles: readonly string[]): APIGuildMember;
  /** Adds or refreshes a member, as when someone runs a command. */
  rememberMember(member: APIGuildMember & { guildId: string }): void;
  everyonePermissions(guildId: string): bigint;
  /** What the bot may do in a channel: its roles, less a denial. */
  botPermissionsIn(channel: SimulatedChannel): bigint;
  apiGuild(id: string): APIGuild;
  /** The GUILD_CREATE payload: the guild with its channels, members and the rest. */
  guildCreate(id: string): GuildCreatePayload;
  apiChannel(channel: SimulatedChannel): ApiGuildChannel;
};

const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.SendMessagesInThreads;

// What an invite with the usual bot scopes grants: enough to post alerts with charts.
const BOT_ROLE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands;

// Flag enums have no member for "none"; Discord sends 0.
const NO_FLAGS = 0;

const DENIED_IN_CHANNEL =
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles;

/** Creates the guild store; `bot` becomes a member of every guild, with a managed role. */
export function createSimulatedGuilds(bot: APIUser, nextId: () => string): SimulatedGuilds {
  const guilds = new Map<string, SimulatedGuild>();
  const channels = new Map<string, SimulatedChannel>();

  const guildOf = (id: string): SimulatedGuild => {
    const guild = guilds.get(id);
    if (guild === undefined) throw new Error(`No guild ${id}; define it with server.guild(id, {...}) first`);
    return guild;
  };
  const channelOf = (id: string): SimulatedChannel => {
    const channel = channels.get(id);
    if (channel === undefined) throw new Error(`No channel ${id} in any guild`);
    return channel;
  };
  const botRole = (guild: SimulatedGuild): APIRole | undefined => guild.roles.find((role) => role.tags?.bot_id === bot.id);

  const describeMember = (guildId: string, user: APIUser, roles: readonly string[]): APIGuildMember => {
    const guild = guildOf(guildId);
    return {
      user,
      nick: null,
      avatar: null,
      roles: [...roles],
      joined_at: guild.members.get(user.id)?.joined_at ?? new Date().toISOString(),
      premium_since: null,
      deaf: false,
      mute: false,
      flags: NO_FLAGS as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  };
  const rememberMember = ({ guildId, ...member }: APIGuildMember & { guildId: string }): void =>
    void guildOf(guildId).members.set(member.user.id, member);

  const apiGuild = (id: string): APIGuild => {
    const guild = guildOf(id);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: guild.roles,
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: NO_FLAGS as GuildSystemChannelFlags,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      preferred_locale: Locale.EnglishUS,
      nsfw_level: GuildNSFWLevel.Default,
      premium_progress_bar_enabled: false,
      hub_type: null,
      incidents_data: null,
      max_members: 500_000,
      max_video_channel_users: 25,
    };
  };

  const apiChannel = (channel: SimulatedChannel): ApiGuildChannel => ({
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    position: channel.position,
    parent_id: channel.parentId,
    topic: channel.topic,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
    permission_overwrites: channel.denied
      ? [{ id: bot.id, type: OverwriteType.Member, allow: '0', deny: String(DENIED_IN_CHANNEL) }]
      : [],
  });

  return {
    define(id, definition) {
      if (!isSnowflake(id)) throw new Error(`A guild id is a snowflake (digits only), got '${id}'`);
      if (guilds.has(id)) throw new Error(`Guild ${id} is already defined`);
      for (const channel of definition.channels ?? []) {
        if (!isSnowflake(channel.id)) throw new Error(`A channel id is a snowflake (digits only), got '${channel.id}'`);
        if (channels.has(channel.id)) throw new Error(`Channel ${channel.id} already exists`);
      }
      const everyone: APIRole = role(id, '@everyone', 0, EVERYONE_PERMISSIONS);
      const botsRole: APIRole = { ...role(nextId(), bot.username, 1, BOT_ROLE_PERMISSIONS), managed: true, tags: { bot_id: bot.id } };
      const extraRoles = (definition.roles ?? []).map((extra, index) =>
        role(extra.id, extra.name, index + 2, BigInt(extra.permissions)),
      );
      const guild: SimulatedGuild = {
        id,
        name: definition.name,
        ownerId: definition.ownerId ?? nextId(),
        joinedAt: new Date().toISOString(),
        roles: [everyone, botsRole, ...extraRoles],
        channelIds: [],
        members: new Map(),
      };
      guilds.set(id, guild);
      rememberMember({ guildId: id, ...describeMember(id, bot, [botsRole.id]) });
      for (const [position, channel] of (definition.channels ?? []).entries()) {
        channels.set(channel.id, {
          id: channel.id,
          guildId: id,
          name: channel.name,
          type: channel.type ?? ChannelType.GuildText,
          parentId: channel.parentId ?? null,
          topic: channel.topic ?? null,
          position,
          denied: false,
        });
        guild.channelIds.push(channel.id);
      }
      return guild;
    },
    guild: (id) => guilds.get(id),
    all: () => [...guilds.values()],
    channel: (id) => channels.get(id),
    deleteChannel(id) {
      const channel = channelOf(id);
      channels.delete(id);
      const guild = guildOf(channel.guildId);
      guild.channelIds = guild.channelIds.filter((channelId) => channelId !== id);
      return channel;
    },
    setDenied(id, denied) {
      const channel = channelOf(id);
      channel.denied = denied;
      return channel;
    },
    describeMember,
    rememberMember,
    everyonePermissions: (guildId) => BigInt(guildOf(guildId).roles[0]?.permissions ?? '0'),
    botPermissionsIn(channel) {
      const guild = guildOf(channel.guildId);
      const base = BigInt(guild.roles[0]?.permissions ?? '0') | BigInt(botRole(guild)?.permissions ?? '0');
      return channel.denied ? base & ~DENIED_IN_CHANNEL : base;
    },
    apiGuild,
    guildCreate(id) {
      const guild = guildOf(id);
      return {
        ...apiGuild(id),
        joined_at: guild.joinedAt,
        large: false,
        unavailable: false,
        member_count: guild.members.size,
        members: [...guild.members.values()],
        channels: guild.channelIds.map((channelId) => apiChannel(channelOf(channelId))),
        threads: [],
        presences: [],
        voice_states: [],
        stage_instances: [],
        guild_scheduled_events: [],
        soundboard_sounds: [],
      };
    },
    apiChannel,
  };
}

function role(id: string, name: string, position: number, permissions: bigint): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: String(permissions),
    managed: false,
    mentionable: false,
    flags: NO_FLAGS as RoleFlags,
  };
}

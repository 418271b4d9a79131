import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  type APIApplicationCommandOption,
  type APIBaseInteraction,
  type APIGuildInteractionWrapper,
  type APIInteractionDataResolved,
  type APIUser,
} from 'discord.js';

import type { ApplicationCommands } from './applicationCommands.js';
import type { MessageStore } from './messageStore.js';
import type { ApiGuildChannel, SimulatedGuilds } from './simulatedGuilds.js';

/** An option as a member filled it in; its type comes from the registered command. */
export type InteractionOptionInput = {
  name: string;
  value: string | number | boolean;
  /** The option the member is typing in, for autocomplete. */
  focused?: boolean;
};

/** Who runs an interaction, and where. */
type InteractionBase = {
  guildId: string;
  channelId: string;
  user: { id: string; username: string; globalName?: string };
  /** The member's permissions in the channel, a bitfield string; @everyone's when not given. */
  memberPermissions?: string;
  memberRoles?: string[];
  locale?: Locale;
};

/** A slash command (type 2), an autocomplete request (type 4) or a button press (type 3). */
export type SendInteractionInput = InteractionBase &
  (
    | {
        type?: 2 | 4;
        commandName: string;
        subcommand?: string;
        options?: InteractionOptionInput[];
      }
    | {
        type: 3;
        customId: string;
        /** The message with the button; the newest bot message that has it when not given. */
        messageId?: string;
      }
  );

/** An option in INTERACTION_CREATE data, nested under subcommands as Discord nests it. */
export type InteractionDataOption = {
  name: string;
  type: ApplicationCommandOptionType;
  value?: string | number | boolean;
  options?: InteractionDataOption[];
  focused?: boolean;
};

type InteractionData =
  | {
      id: string;
      name: string;
      type: ApplicationCommandType.ChatInput;
      guild_id?: string;
      options?: InteractionDataOption[];
      resolved?: APIInteractionDataResolved;
    }
  | { custom_id: string; component_type: ComponentType.Button };

/** The INTERACTION_CREATE data of a guild interaction, its channel in the shape this server builds. */
export type InteractionPayload = Omit<
  APIGuildInteractionWrapper<APIBaseInteraction<InteractionType, InteractionData>>,
  'channel'
> & { channel: ApiGuildChannel; channel_id: string };

/** What building a payload reads from the simulated Discord. */
export type InteractionSources = {
  applicationId: string;
  guilds: SimulatedGuilds;
  commands: ApplicationCommands;
  messages: MessageStore;
};

// Discord's upload limit for a guild without boosts.
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

/**
 * Builds the INTERACTION_CREATE data Discord would send for `input`. Throws when Discord could
 * not send it: an unknown guild, channel, command, subcommand or option, a missing required
 * option, a value of the wrong type or outside the choices, or an autocomplete request whose
 * focused option does not autocomplete.
 */
export function buildInteractionPayload(
  input: SendInteractionInput,
  ids: { id: string; token: string },
  sources: InteractionSources,
): { payload: InteractionPayload; focusedType: ApplicationCommandOptionType | null } {
  const { guilds } = sources;
  const guild = guilds.guild(input.guildId);
  if (guild === undefined) throw new Error(`No guild ${input.guildId}; define it with server.guild() first`);
  const channel = guilds.channel(input.channelId);
  if (channel === undefined || channel.guildId !== guild.id) {
    throw new Error(`No channel ${input.channelId} in guild ${guild.id}`);
  }
  const permissions = input.memberPermissions ?? String(guilds.everyonePermissions(guild.id));
  const user: APIUser = {
    id: input.user.id,
    username: input.user.username,
    discriminator: '0',
    global_name: input.user.globalName ?? null,
    avatar: null,
  };
  const member = guilds.describeMember(guild.id, user, input.memberRoles ?? []);

  const base = {
    id: ids.id,
    application_id: sources.applicationId,
    token: ids.token,
    version: 1 as const,
    guild_id: guild.id,
    guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
    guild_locale: Locale.EnglishUS,
    channel_id: channel.id,
    channel: guilds.apiChannel(channel),
    member: { ...member, permissions },
    app_permissions: String(guilds.botPermissionsIn(channel)),
    locale: input.locale ?? Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { '0': guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };

  if (input.type === 3) {
    const message = findButtonMessage(input.customId, input.messageId, channel.id, sources.messages);
    return {
      payload: {
        ...base,
        type: InteractionType.MessageComponent,
        data: { custom_id: input.customId, component_type: ComponentType.Button },
        message: sources.messages.toApi(message),
      },
      focusedType: null,
    };
  }

  const autocomplete = input.type === 4;
  const command = sources.commands.find(input.commandName, guild.id);
  if (command === undefined) {
    throw new Error(`No chat-input command '${input.commandName}' is registered in guild ${guild.id} or globally`);
  }
  const where = `/${[command.name, input.subcommand].filter(Boolean).join(' ')}`;
  let schema = command.options ?? [];
  const wrappers: Array<{ name: string; type: ApplicationCommandOptionType }> = [];
  // Note: Lookout has no subcommand groups; a subcommand is the one level of nesting filled in.
  for (const [name, type] of [[input.subcommand, ApplicationCommandOptionType.Subcommand]] as const) {
    const nests = schema.filter((option) => option.type === type);
    if (name === undefined) {
      if (nests.length > 0) {
        throw new Error(`${where} needs a subcommand: one of ${nests.map((option) => option.name).join(', ')}`);
      }
      continue;
    }
    const nest = nests.find((option) => option.name === name);
    if (nest === undefined) throw new Error(`${where}: '${name}' is not a subcommand of /${command.name}`);
    wrappers.push({ name, type });
    schema = (nest as { options?: APIApplicationCommandOption[] }).options ?? [];
  }

  const resolved: APIInteractionDataResolved = {};
  const options = (input.options ?? []).map((option) =>
    toDataOption(option, schema, { where, autocomplete, guildId: guild.id, permissions, resolved, guilds }),
  );
  const focused = options.filter((option) => option.focused === true);
  if (autocomplete && focused.length !== 1) {
    throw new Error(`${where}: an autocomplete request has exactly one focused option, got ${focused.length}`);
  }
  if (!autocomplete) {
    for (const option of schema) {
      if ('required' in option && option.required === true && !options.some((given) => given.name === option.name)) {
        throw new Error(`${where}: the required option '${option.name}' is missing`);
      }
    }
  }
  const nested = wrappers.reduceRight<InteractionDataOption[]>(
    (inner, wrapper) => [{ name: wrapper.name, type: wrapper.type, options: inner }],
    options,
  );
  const data: InteractionData = { id: command.id, name: command.name, type: ApplicationCommandType.ChatInput };
  if (command.guild_id !== undefined) data.guild_id = command.guild_id;
  if (nested.length > 0) data.options = nested;
  if (Object.keys(resolved).length > 0) data.resolved = resolved;
  return {
    payload: {
      ...base,
      type: autocomplete ? InteractionType.ApplicationCommandAutocomplete : InteractionType.ApplicationCommand,
      data,
    },
    focusedType: focused[0]?.type ?? null,
  };
}

type OptionContext = {
  where: string;
  autocomplete: boolean;
  guildId: string;
  permissions: string;
  resolved: APIInteractionDataResolved;
  guilds: SimulatedGuilds;
};

function toDataOption(
  input: InteractionOptionInput,
  schema: readonly APIApplicationCommandOption[],
  context: OptionContext,
): InteractionDataOption {
  const { where } = context;
  const option = schema.find((candidate) => candidate.name === input.name);
  if (option === undefined) {
    throw new Error(`${where} has no option '${input.name}'; it has: ${schema.map((candidate) => candidate.name).join(', ') || 'none'}`);
  }
  if (input.focused === true) {
    if (!context.autocomplete) throw new Error(`${where}: only an autocomplete request has a focused option`);
    if (!('autocomplete' in option) || option.autocomplete !== true) {
      throw new Error(`${where}: option '${option.name}' does not autocomplete`);
    }
    // Note: Discord sends what the member has typed so far, as a string, whatever the option type.
    return { name: option.name, type: option.type, value: String(input.value), focused: true };
  }
  const { value } = input;
  const expect = (ok: boolean, what: string): void => {
    if (!ok) throw new Error(`${where}: option '${option.name}' takes ${what}, got ${JSON.stringify(value)}`);
  };
  switch (option.type) {
    case ApplicationCommandOptionType.String:
      expect(typeof value === 'string', 'a string');
      break;
    case ApplicationCommandOptionType.Integer:
      expect(typeof value === 'number' && Number.isSafeInteger(value), 'an integer');
      break;
    case ApplicationCommandOptionType.Number:
      expect(typeof value === 'number' && Number.isFinite(value), 'a number');
      break;
    case ApplicationCommandOptionType.Boolean:
      expect(typeof value === 'boolean', 'true or false');
      break;
    case ApplicationCommandOptionType.Channel:
      expect(typeof value === 'string', 'a channel id');
      resolveChannel(value as string, option.channel_types, context);
      break;
    default:
      throw new Error(`${where}: option '${option.name}' has type ${option.type}, which sendInteraction does not fill in`);
  }
  if ('choices' in option && Array.isArray(option.choices) && option.choices.length > 0) {
    expect(
      option.choices.some((choice) => choice.value === value),
      `one of ${option.choices.map((choice) => JSON.stringify(choice.value)).join(', ')}`,
    );
  }
  return { name: option.name, type: option.type, value };
}

function resolveChannel(id: string, channelTypes: readonly number[] | undefined, context: OptionContext): void {
  const channel = context.guilds.channel(id);
  if (channel === undefined || channel.guildId !== context.guildId) {
    throw new Error(`${context.where}: no channel ${id} in guild ${context.guildId}`);
  }
  if (channelTypes !== undefined && channelTypes.length > 0 && !channelTypes.includes(channel.type)) {
    throw new Error(`${context.where}: channel ${id} has type ${channel.type}, the option takes ${channelTypes.join(', ')}`);
  }
  context.resolved.channels = {
    ...context.resolved.channels,
    [id]: {
      id,
      name: channel.name,
      type: channel.type,
      permissions: context.permissions,
    } as NonNullable<APIInteractionDataResolved['channels']>[string],
  };
}

function findButtonMessage(customId: string, messageId: string | undefined, channelId: string, messages: MessageStore) {
  if (messageId !== undefined) {
    const message = messages.get(messageId);
    if (message === undefined) throw new Error(`No message ${messageId} for the button '${customId}'`);
    return message;
  }
  const hasButton = (components: unknown): boolean => JSON.stringify(components).includes(JSON.stringify(customId));
  const message = messages
    .inChannel(channelId)
    .reverse()
    .find((candidate) => hasButton(candidate.components));
  if (message === undefined) throw new Error(`No bot message in channel ${channelId} has a button '${customId}'`);
  return message;
}

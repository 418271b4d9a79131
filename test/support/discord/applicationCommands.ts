import { ApplicationCommandType, type APIApplicationCommand } from 'discord.js';

import { discordErrors } from './discordApiError.js';
import { validateApplicationCommand, validateApplicationCommands } from './validateApplicationCommands.js';

/** The slash commands registered with the simulated Discord, globally or per guild. */
export type ApplicationCommands = {
  /** Replaces a scope's commands (null = global); a command keeps its id while its name and type stay. */
  overwrite(guildId: string | null, bodies: unknown): APIApplicationCommand[];
  list(guildId: string | null): APIApplicationCommand[];
  /** The chat-input command a member of the guild would run under that name: the guild's, else the global one. */
  find(name: string, guildId: string): APIApplicationCommand | undefined;
  /** Calls `listener` after every change; returns a function that stops it. */
  onChange(listener: () => void): () => void;
};

/** Creates an empty registry for `applicationId`. */
export function createApplicationCommands(applicationId: string, nextId: () => string): ApplicationCommands {
  const scopes = new Map<string | null, APIApplicationCommand[]>();
  const listeners = new Set<() => void>();
  const changed = (): void => listeners.forEach((listener) => listener());
  const scope = (guildId: string | null): APIApplicationCommand[] => scopes.get(guildId) ?? [];

  const build = (guildId: string | null, body: Record<string, unknown>, id: string): APIApplicationCommand => {
    const type = (body['type'] as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput;
    const command = {
      ...body,
      id,
      application_id: applicationId,
      version: nextId(),
      type,
      name: body['name'] as string,
      description: type === ApplicationCommandType.ChatInput ? (body['description'] as string) : '',
      default_member_permissions: (body['default_member_permissions'] as string | null | undefined) ?? null,
      nsfw: (body['nsfw'] as boolean | undefined) ?? false,
    } as APIApplicationCommand;
    if (guildId !== null) command.guild_id = guildId;
    return command;
  };
  const sameCommand = (command: APIApplicationCommand, body: Record<string, unknown>): boolean =>
    command.name === body['name'] && command.type === (body['type'] ?? ApplicationCommandType.ChatInput);
  const refuse = (problems: ReturnType<typeof validateApplicationCommand>): void => {
    if (problems.length > 0) throw discordErrors.invalidFormBody(problems);
  };

  return {
    overwrite(guildId, bodies) {
      refuse(validateApplicationCommands(bodies));
      const previous = scope(guildId);
      const commands = (bodies as Array<Record<string, unknown>>).map((body) =>
        build(guildId, body, previous.find((command) => sameCommand(command, body))?.id ?? nextId()),
      );
      scopes.set(guildId, commands);
      changed();
      return commands;
    },
    list: (guildId) => [...scope(guildId)],
    find(name, guildId) {
      const byName = (command: APIApplicationCommand): boolean =>
        command.name === name && command.type === ApplicationCommandType.ChatInput;
      return scope(guildId).find(byName) ?? scope(null).find(byName);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

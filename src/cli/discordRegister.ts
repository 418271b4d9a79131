import { REST, Routes } from 'discord.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import { discordCommands } from '../bot/discord/discordCommands.js';
import { ConfigError } from '../errors/LookoutError.js';
import type { Output } from './executeCommand.js';

/** `lookout discord register`: registers the slash commands over REST, globally or to DISCORD_GUILD_ID. */
export async function discordRegister(config: LookoutConfig, output: Output): Promise<number> {
  const discord = config.discord;
  if (!discord) throw new ConfigError('DISCORD_TOKEN is not set; set it (and DISCORD_APPLICATION_ID) to register the commands.');
  if (!discord.applicationId) throw new ConfigError('DISCORD_APPLICATION_ID is not set; copy it from the Discord developer portal.');
  const rest = new REST(discord.apiUrl ? { api: discord.apiUrl } : {}).setToken(discord.token);
  const body = discordCommands(config.chains.map((chain) => chain.name));
  const route = discord.guildId
    ? Routes.applicationGuildCommands(discord.applicationId, discord.guildId)
    : Routes.applicationCommands(discord.applicationId);
  const registered = (await rest.put(route, { body })) as unknown[];
  output.out(`Registered ${registered.length} slash commands ${discord.guildId ? `to guild ${discord.guildId}` : 'globally (they can take up to an hour to appear)'}.\n`);
  return 0;
}

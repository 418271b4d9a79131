import {
  AttachmentBuilder,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
} from 'discord.js';
import { and, eq, sql } from 'drizzle-orm';
import type { ChartConfig } from '../../charts/ChartConfig.js';
import { pauseDestination, pausedRoutes } from '../../db/alertRouteQueries.js';
import type { OutboxRow } from '../../db/alertQueries.js';
import { groups, wallets } from '../../db/schema.js';
import { ensureWorkspace } from '../../db/workspaceQueries.js';
import { LookoutError, UserInputError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import { createChatLimiter, type LimitVerdict } from '../chat/createChatLimiter.js';
import { refuseControlCharacters } from '../chat/refuseControlCharacters.js';
import { targetOf } from '../chat/runChatCommand.js';
import { clipText, findControlCharacter } from '../../text/clipText.js';
import type { CommandContext } from '../commandContext.js';
import { alertRoutes } from '../commands/alertRoutes.js';
import { group } from '../commands/group.js';
import { pnl } from '../commands/pnl.js';
import { track } from '../commands/track.js';
import { trades } from '../commands/trades.js';
import { untrack } from '../commands/untrack.js';
import { walletsCommand } from '../commands/wallets.js';
import { createOutboxWorker, type DeliveryResult, type OutboxWorker } from '../delivery/createOutboxWorker.js';
import type { Reply } from '../reply.js';
import { discordCommands, needsManageServer } from './discordCommands.js';
import { alertEmbed, pnlButtonRow, replyEmbed } from './discordEmbeds.js';
import { DISCORD_LIMITS, escapeDiscord, fitContent, NO_MENTIONS } from './discordText.js';

export type DiscordDeps = Omit<CommandContext, 'workspaceId' | 'actor'> & { logger: Logger };
export type DiscordService = { client: Client; worker: OutboxWorker; start(): Promise<void>; stop(): Promise<void> };

const CHART_SIZE = { width: 800, height: 480 };
/** Answers that mean the channel will not take alerts until someone fixes it. */
const REFUSALS = new Set([10003, 50001, 50013]);
const INTERNAL_ERROR = 'Something went wrong on our side; please try again in a minute.';

/**
 * The Discord adapter: each guild is a workspace; slash commands map onto the platform-free commands;
 * alerts are embeds in the channels chosen with /alerts route, delivered from the outbox (discord.js waits
 * out rate limits); a deleted channel or a missing permission pauses its route and is told to the next admin.
 */
export function createDiscordBot(deps: DiscordDeps): DiscordService {
  const settings = deps.config.discord;
  if (!settings) throw new LookoutError('Discord is not configured: set DISCORD_TOKEN.', { action: 'stop' });
  const log = deps.logger.child({ component: 'discord' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_MENTIONS,
    ...(settings.apiUrl ? { rest: { api: settings.apiUrl } } : {}),
  });
  const limiter = createChatLimiter(deps.config.limits);

  const worker = createOutboxWorker({
    db: deps.db,
    config: deps.config,
    logger: log,
    events: deps.events,
    scope: { prefix: 'discord:' },
    pollMs: 500,
    deliver: async (alert, row): Promise<DeliveryResult> => {
      const channelId = row.destination.slice('discord:'.length);
      try {
        const channel = await client.channels.fetch(channelId);
        if (!channel || !channel.isSendable()) return refuse(row.destination, 'the channel cannot take messages');
        const message = await channel.send({
          embeds: [alertEmbed(alert)],
          components: alert.type === 'trade' ? [pnlButtonRow(alert.wallet)] : [],
          allowedMentions: NO_MENTIONS,
          // Note: a resend after a crash carries the same nonce, and Discord answers with the message it already made.
          nonce: outboxNonce(row),
          enforceNonce: true,
        });
        return { status: 'sent', messageId: message.id };
      } catch (error) {
        if (error instanceof DiscordAPIError && typeof error.code === 'number' && REFUSALS.has(error.code)) {
          return refuse(row.destination, error.code === 10003 ? 'the channel was deleted' : 'the bot lacks permission to post there');
        }
        return { status: 'retry', error: error instanceof Error ? error.message : String(error) };
      }
    },
  });

  async function refuse(destination: string, reason: string): Promise<DeliveryResult> {
    await pauseDestination(deps.db, destination, reason);
    return { status: 'paused', reason };
  }

  async function contextFor(guildId: string, guildName: string | undefined, userId: string): Promise<CommandContext> {
    const workspaceId = await ensureWorkspace(deps.db, { id: `discord:${guildId}`, platform: 'discord', externalId: guildId }, guildName);
    const { logger: _logger, ...core } = deps;
    return { ...core, workspaceId, actor: `discord:${userId}` };
  }

  async function runCommand(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<Reply & { chart?: ChartConfig | null }> {
    const options = interaction.options;
    const sub = options.getSubcommand(false);
    const string = (name: string) => options.getString(name) ?? undefined;
    switch (interaction.commandName) {
      case 'track':
        return track(ctx, { address: options.getString('address', true), label: string('label'), chain: string('chain') });
      case 'untrack':
        return untrack(ctx, { wallet: options.getString('wallet', true) });
      case 'wallets':
        return walletsCommand(ctx);
      case 'group':
        if (sub === 'list') return group(ctx, { action: 'list' });
        if (sub === 'create') return group(ctx, { action: sub, name: options.getString('name', true) });
        if (sub === 'delete') return group(ctx, { action: sub, name: options.getString('name', true), describe: describeDestination });
        return group(ctx, { action: sub as 'add' | 'remove', name: options.getString('group', true), wallets: [options.getString('wallet', true)] });
      case 'pnl':
        return pnl(ctx, { ...(await targetOf(ctx, string('target'))), window: string('window'), method: string('method') });
      case 'trades':
        return trades(ctx, { ...(await targetOf(ctx, string('target'))), limit: 15 });
      case 'alerts': {
        if (sub === 'list') return alertRoutes(ctx, { action: 'list', describe: (destination) => describeDestination(destination) });
        if (sub === 'remove') return alertRoutes(ctx, { action: 'remove', routeId: options.getInteger('route', true) });
        const channel = options.getChannel('channel', true);
        const minUsd = options.getNumber('min_usd');
        return alertRoutes(ctx, {
          action: 'route',
          destination: `discord:${channel.id}`,
          destinationName: `<#${channel.id}>`,
          group: string('group'),
          // Note: Discord sends numbers as JSON numbers; the text keeps what was typed, for the exact decimal.
          minUsd: minUsd === null ? undefined : String(minUsd),
          types: string('types'),
        });
      }
      default:
        throw new UserInputError(`/${interaction.commandName} is not a Lookout command.`);
    }
  }

  async function onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    if (!interaction.inGuild()) {
      await interaction.reply({ content: 'Lookout works in servers: add it to one and use the commands there.', flags: MessageFlags.Ephemeral });
      return;
    }
    if (!(await within(interaction, limiter.command(`discord:${interaction.guildId}`, interaction.user.id)))) return;
    const sub = interaction.options.getSubcommand(false);
    const isAdmin = interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild);
    if (needsManageServer(interaction.commandName, sub) && !isAdmin) {
      await interaction.reply({
        content: 'You need the Manage Server permission to change tracking or alert routes; ask a server admin.',
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    try {
      refuseControlCharacters(stringOptions(interaction.options.data));
    } catch (error) {
      await sendError(interaction, error, false);
      return;
    }
    const slow = interaction.commandName === 'pnl';
    if (slow) await interaction.deferReply();
    try {
      const ctx = await contextFor(interaction.guildId, interaction.guild?.name, interaction.user.id);
      const reply = await runCommand(interaction, ctx);
      if (isAdmin) await notePausedRoutes(ctx, reply);
      await send(interaction, reply, slow);
    } catch (error) {
      await sendError(interaction, error, slow);
    }
  }

  async function notePausedRoutes(ctx: CommandContext, reply: Reply): Promise<void> {
    for (const route of await pausedRoutes(ctx.db, ctx.workspaceId)) {
      reply.lines.push(`⚠️ Alerts to ${describeDestination(route.destination)} are paused: ${route.pausedReason}. Fix it, then run /alerts route for that channel again.`);
    }
  }

  async function send(interaction: ChatInputCommandInteraction | ButtonInteraction, reply: Reply & { chart?: ChartConfig | null }, deferred: boolean): Promise<void> {
    const files: AttachmentBuilder[] = [];
    let chartNote: string | undefined;
    if (reply.chart) {
      const verdict = limiter.chart(`discord:${interaction.guildId}`);
      if (verdict.kind === 'refuse') chartNote = verdict.message;
      if (verdict.kind === 'allow') files.push(new AttachmentBuilder(await deps.charts.renderChart(reply.chart, CHART_SIZE), { name: 'pnl.png' }));
    }
    const embed = replyEmbed(chartNote ? { ...reply, lines: [...reply.lines, chartNote] } : reply);
    if (files.length) embed.setImage('attachment://pnl.png');
    const message = { embeds: [embed], files, allowedMentions: NO_MENTIONS };
    try {
      if (deferred) await interaction.editReply(message);
      else await interaction.reply({ ...message, ...(reply.tone === 'error' ? { flags: MessageFlags.Ephemeral } : {}) });
    } catch (error) {
      // Note: 50035 is Discord refusing the body; the person still gets a short answer.
      if (!(error instanceof DiscordAPIError) || error.code !== 50035) throw error;
      log.warn({ err: error }, 'discord refused a reply; sent a short one instead');
      await sendError(interaction, new UserInputError('Discord refused that answer; please try a shorter or simpler request.'), deferred);
    }
  }

  /**
   * An error as only the person who asked sees it. A deferred reply was announced in public, so it is
   * deleted and the error follows up privately instead of replacing it.
   */
  async function sendError(interaction: ChatInputCommandInteraction | ButtonInteraction, error: unknown, deferred: boolean): Promise<void> {
    const told = error instanceof LookoutError && error.action === 'tell_user';
    if (!told) log.error({ err: error }, 'discord command failed');
    const content = fitContent(told ? escapeDiscord(error.message) : INTERNAL_ERROR);
    const message = { content, flags: MessageFlags.Ephemeral as const, allowedMentions: NO_MENTIONS };
    try {
      if (deferred) {
        await interaction.deleteReply().catch((deleteError: unknown) => log.warn({ err: deleteError }, 'could not remove a deferred reply'));
        await interaction.followUp(message);
      } else if (interaction.replied || interaction.deferred) {
        await interaction.followUp(message);
      } else {
        await interaction.reply(message);
      }
    } catch (replyError) {
      log.warn({ err: replyError }, 'could not answer an interaction');
    }
  }

  /** Applies a limit's verdict: true when the interaction may go on; a refusal is said once per window, privately. */
  async function within(interaction: ChatInputCommandInteraction | ButtonInteraction, verdict: LimitVerdict): Promise<boolean> {
    if (verdict.kind === 'refuse') await sendError(interaction, new UserInputError(verdict.message), false);
    return verdict.kind === 'allow';
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    if (!interaction.inGuild()) return interaction.respond([]);
    const focused = interaction.options.getFocused(true);
    const workspaceId = `discord:${interaction.guildId}`;
    const typed = clipText(String(focused.value), DISCORD_LIMITS.choiceValue, '').toLowerCase();
    // Nothing a control character could match is stored, and Postgres refuses NUL: an empty list, no query.
    if (findControlCharacter(typed) !== undefined) return interaction.respond([]);
    const pattern = `%${typed.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const groupNames = async () =>
      (await deps.db.select({ name: groups.name }).from(groups).where(eq(groups.workspaceId, workspaceId))).map((row) => row.name);
    const walletLabels = async () =>
      (
        await deps.db
          .selectDistinct({ label: wallets.label })
          .from(wallets)
          .where(and(eq(wallets.workspaceId, workspaceId), sql`lower(${wallets.label}) like ${pattern}`))
      ).map((row) => row.label);
    let names: string[] = [];
    if (focused.name === 'wallet') names = await walletLabels();
    else if (focused.name === 'group' || focused.name === 'name') names = await groupNames();
    else if (focused.name === 'target') names = [...(await groupNames()), ...(await walletLabels())];
    const matches = [...new Set(names)]
      .filter((name) => name.toLowerCase().includes(typed) && name.length <= DISCORD_LIMITS.choiceValue)
      .slice(0, DISCORD_LIMITS.autocompleteChoices);
    await interaction.respond(matches.map((name) => ({ name: clipText(name, DISCORD_LIMITS.choiceName), value: name })));
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const match = interaction.customId.match(/^pnl:(.+)$/);
    if (!interaction.inGuild()) {
      await sendError(interaction, new UserInputError('This button only works in the server Lookout posted it in.'), false);
      return;
    }
    if (!match) {
      await sendError(interaction, new UserInputError('This button is no longer in use; run the command again.'), false);
      return;
    }
    if (!(await within(interaction, limiter.command(`discord:${interaction.guildId}`, interaction.user.id)))) return;
    await interaction.deferReply();
    try {
      refuseControlCharacters([match[1]]);
      const ctx = await contextFor(interaction.guildId, interaction.guild?.name, interaction.user.id);
      await send(interaction, await pnl(ctx, { wallet: match[1]! }), true);
    } catch (error) {
      await sendError(interaction, error, true);
    }
  }

  client.on(Events.InteractionCreate, (interaction) => {
    const handled = interaction.isChatInputCommand()
      ? onCommand(interaction)
      : interaction.isAutocomplete()
        ? onAutocomplete(interaction)
        : interaction.isButton()
          ? onButton(interaction)
          : Promise.resolve();
    handled.catch((error: unknown) => log.error({ err: error }, 'interaction failed'));
  });
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));

  return {
    client,
    worker,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(settings.token);
      await ready;
      await registerCommands(client, deps.config.chains.map((chain) => chain.name), settings.guildId);
      log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord bot connected');
      worker.start();
    },
    async stop() {
      await worker.stop();
      await client.destroy();
    },
  };
}

/** Registers the slash commands: to one guild for a quick test, or globally. */
export async function registerCommands(client: Client<true> | Client, chains: string[], guildId: string | undefined): Promise<number> {
  const commands = discordCommands(chains);
  if (!client.application) throw new LookoutError('The Discord client is not logged in.', { action: 'stop' });
  const registered = guildId ? await client.application.commands.set(commands, guildId) : await client.application.commands.set(commands);
  return registered.size;
}

/** Every string a person typed into a command's options, subcommands included. */
function stringOptions(options: readonly CommandInteractionOption[]): string[] {
  return options.flatMap((option) => [
    ...(typeof option.value === 'string' ? [option.value] : []),
    ...stringOptions(option.options ?? []),
  ]);
}

/** The nonce of an alert's Discord message: the same for every attempt of one outbox row, within Discord's 25 characters. */
export function outboxNonce(row: Pick<OutboxRow, 'id' | 'kind'>): string {
  return `lookout-${row.kind === 'correction' ? 'c' : 'a'}${row.id}`;
}

function describeDestination(destination: string): string {
  return destination.startsWith('discord:') ? `<#${destination.slice('discord:'.length)}>` : destination;
}

import {
  AttachmentBuilder,
  Client,
  DiscordAPIError,
  DiscordjsError,
  DiscordjsErrorCodes,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
} from 'discord.js';
import type { OutboxRow } from '../../db/alertQueries.js';
import { groupNames, walletLabelsLike } from '../../db/nameQueries.js';
import { ensureWorkspace } from '../../db/workspaceQueries.js';
import { LookoutError, UserInputError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import { clipText, findControlCharacter } from '../../text/clipText.js';
import { composeSteps, type Step } from '../chat/composeSteps.js';
import { createChatLimiter } from '../chat/createChatLimiter.js';
import { notePausedDestinations } from '../chat/notePausedDestinations.js';
import { refuseControlCharacters } from '../chat/refuseControlCharacters.js';
import type { CommandContext } from '../commandContext.js';
import { pnl } from '../commands/pnl.js';
import { oneByOne, retryAfter, type DeliveryResult } from '../delivery/createOutboxWorker.js';
import type { ChatAdapter } from '../delivery/Sink.js';
import type { ChatAnswer } from '../chat/runChatCommand.js';
import { discordCommands, needsManageServer } from './discordCommands.js';
import { describeDestination, runDiscordCommand } from './runDiscordCommand.js';
import { alertEmbed, pnlButtonRow, replyEmbed } from './discordEmbeds.js';
import { DISCORD_LIMITS, escapeDiscord, fitContent, NO_MENTIONS } from './discordText.js';

export type DiscordDeps = Omit<CommandContext, 'workspaceId' | 'actor'> & { logger: Logger };
export type DiscordService = ChatAdapter & { client: Client };

type Answer = ChatAnswer;
/** A command or button on its way through the steps, each adding what it learnt. */
type Request = {
  interaction: ChatInputCommandInteraction | ButtonInteraction;
  /** The subcommand of a slash command, or null. */
  sub: string | null;
  isAdmin: boolean;
  /** The reply was deferred (announced in public) and is edited, not sent. */
  deferred: boolean;
  workspace?: CommandContext;
  reply?: Answer;
};

const PNL_BUTTON = /^pnl:(.+)$/;
const CHART_SIZE = { width: 800, height: 480 };
/** Answers that mean the channel will not take alerts until someone fixes it. */
const REFUSALS = new Set([10003, 50001, 50013]);
const INTERNAL_ERROR = 'Something went wrong on our side; please try again in a minute.';
const MANAGERS_ONLY = 'You need the Manage Server permission to change tracking, settings or alert routes; ask a server admin.';

/**
 * The Discord adapter, a sink of `discord:<channel id>` alerts that also serves slash commands: each guild
 * is a workspace; a command goes through the steps error boundary → in a server → rate limit → admins
 * only → control characters → defer → workspace → answer, the same as Telegram's middleware, and the last
 * step maps the options onto the platform-free commands. Alerts are embeds in the channels chosen with
 * /alerts route (discord.js waits out rate limits); a deleted channel or a missing permission pauses it.
 */
export function createDiscordBot(deps: DiscordDeps): DiscordService {
  const settings = deps.config.discord;
  if (!settings) throw new LookoutError('Discord is not configured: set DISCORD_TOKEN.', { action: 'stop' });
  const log = deps.logger.child({ component: 'discord' });
  const { logger: _logger, ...core } = deps;
  // Note: a destroyed discord.js client does not reliably emit ready on a second login; each start after a stop (a lease
  // lost and taken back) connects a new client, with the same listeners.
  const newClient = (): Client => {
    const created = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: NO_MENTIONS,
      ...(settings.apiUrl ? { rest: { api: settings.apiUrl } } : {}),
    });
    created.on(Events.InteractionCreate, onInteraction);
    created.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
    return created;
  };
  const limiter = createChatLimiter(deps.config.limits);

  async function deliver(alert: Parameters<typeof alertEmbed>[0], row: OutboxRow): Promise<DeliveryResult> {
    const channelId = row.destination.slice('discord:'.length);
    try {
      const channel = await client.channels.fetch(channelId);
      if (!channel || !channel.isSendable()) return { status: 'paused', reason: 'the channel cannot take messages' };
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
        return { status: 'paused', reason: error.code === 10003 ? 'the channel was deleted' : 'the bot lacks permission to post there' };
      }
      return retryAfter(error);
    }
  }

  /** The outermost step: an error meant for the person is told privately; any other is logged with its cause. */
  const errorBoundary: Step<Request> = async (request, next) => {
    try {
      await next();
    } catch (error) {
      await sendError(request.interaction, error, request.deferred);
    }
  };
  const inServer: Step<Request> = async (request, next) => {
    if (request.interaction.inGuild()) return next();
    const text = request.interaction.isButton()
      ? 'This button only works in the server Lookout posted it in.'
      : 'Lookout works in servers: add it to one and use the commands there.';
    await sendError(request.interaction, new UserInputError(text), false);
  };
  const knownButton: Step<Request> = async (request, next) => {
    const { interaction } = request;
    if (interaction.isButton() && !PNL_BUTTON.test(interaction.customId)) {
      await sendError(interaction, new UserInputError('This button is no longer in use; run the command again.'), false);
      return;
    }
    await next();
  };
  const rateLimit: Step<Request> = async (request, next) => {
    const verdict = limiter.command(`discord:${request.interaction.guildId}`, request.interaction.user.id);
    if (verdict.kind === 'refuse') await sendError(request.interaction, new UserInputError(verdict.message), false);
    if (verdict.kind === 'allow') await next();
  };
  const adminsOnly: Step<Request> = async (request, next) => {
    const { interaction } = request;
    if (interaction.isChatInputCommand() && needsManageServer(interaction.commandName, request.sub) && !request.isAdmin) {
      await interaction.reply({ content: MANAGERS_ONLY, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
      return;
    }
    await next();
  };
  const refuseControl: Step<Request> = async (request, next) => {
    const { interaction } = request;
    refuseControlCharacters(interaction.isChatInputCommand() ? stringOptions(interaction.options.data) : [PNL_BUTTON.exec(interaction.customId)?.[1]]);
    await next();
  };
  const defer: Step<Request> = async (request, next) => {
    const { interaction } = request;
    // PnL can take a few seconds, more than Discord waits for an answer.
    if (interaction.isButton() || interaction.commandName === 'pnl' || (interaction.commandName === 'trades' && interaction.options.getBoolean('csv'))) {
      await interaction.deferReply();
      request.deferred = true;
    }
    await next();
  };
  const workspace: Step<Request> = async (request, next) => {
    const { interaction } = request;
    const guildId = interaction.guildId!;
    const workspaceId = await ensureWorkspace(deps.db, { id: `discord:${guildId}`, platform: 'discord', externalId: guildId }, interaction.guild?.name);
    request.workspace = { ...core, workspaceId, actor: `discord:${interaction.user.id}` };
    await next();
  };
  const answer: Step<Request> = async (request, next) => {
    await next();
    if (!request.reply || !request.workspace) return;
    await notePausedDestinations(request.workspace, request.reply, { isAdmin: async () => request.isAdmin, describe: describeDestination });
    await send(request.interaction, request.reply, request.deferred);
  };
  const runCommand: Step<Request> = async (request) => {
    const { interaction, workspace: ctx } = request;
    request.reply = interaction.isChatInputCommand()
      ? await runDiscordCommand(interaction, ctx!)
      : await pnl(ctx!, { wallet: PNL_BUTTON.exec(interaction.customId)![1]! });
  };
  const handle = composeSteps([errorBoundary, inServer, knownButton, rateLimit, adminsOnly, refuseControl, defer, workspace, answer, runCommand]);

  async function send(interaction: ChatInputCommandInteraction | ButtonInteraction, reply: Answer, deferred: boolean): Promise<void> {
    const files: AttachmentBuilder[] = [];
    let chartNote: string | undefined;
    if (reply.chart) {
      const verdict = limiter.chart(`discord:${interaction.guildId}`);
      if (verdict.kind === 'refuse') chartNote = verdict.message;
      if (verdict.kind === 'allow') files.push(new AttachmentBuilder(await deps.charts.renderChart(reply.chart, CHART_SIZE), { name: 'pnl.png' }));
    }
    const embed = replyEmbed(chartNote ? { ...reply, lines: [...reply.lines, chartNote] } : reply);
    if (files.length) embed.setImage('attachment://pnl.png');
    if (reply.file) files.push(new AttachmentBuilder(Buffer.from(reply.file.content, 'utf8'), { name: reply.file.name }));
    const message = { embeds: [embed], files, allowedMentions: NO_MENTIONS };
    try {
      if (deferred) await interaction.editReply(message);
      else await interaction.reply({ ...message, ...(reply.tone === 'error' || reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
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

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    if (!interaction.inGuild()) return interaction.respond([]);
    const focused = interaction.options.getFocused(true);
    const workspaceId = `discord:${interaction.guildId}`;
    const typed = clipText(String(focused.value), DISCORD_LIMITS.choiceValue, '').toLowerCase();
    // Nothing a control character could match is stored, and Postgres refuses NUL: an empty list, no query.
    if (findControlCharacter(typed) !== undefined) return interaction.respond([]);
    let names: string[] = [];
    if (focused.name === 'wallet') names = await walletLabelsLike(deps.db, workspaceId, typed);
    else if (focused.name === 'group' || focused.name === 'name') names = await groupNames(deps.db, workspaceId);
    else if (focused.name === 'target') names = [...(await groupNames(deps.db, workspaceId)), ...(await walletLabelsLike(deps.db, workspaceId, typed))];
    const matches = [...new Set(names)]
      .filter((name) => name.toLowerCase().includes(typed) && name.length <= DISCORD_LIMITS.choiceValue)
      .slice(0, DISCORD_LIMITS.autocompleteChoices);
    await interaction.respond(matches.map((name) => ({ name: clipText(name, DISCORD_LIMITS.choiceName), value: name })));
  }

  function onInteraction(interaction: Interaction): void {
    const handled =
      interaction.isChatInputCommand() || interaction.isButton()
        ? handle({
            interaction,
            sub: interaction.isChatInputCommand() ? interaction.options.getSubcommand(false) : null,
            isAdmin: interaction.inGuild() && interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild),
            deferred: false,
          })
        : interaction.isAutocomplete()
          ? onAutocomplete(interaction)
          : Promise.resolve();
    handled.catch((error: unknown) => log.error({ err: error }, 'interaction failed'));
  }
  let client = newClient();
  let destroyed = false;

  return {
    name: 'discord',
    exclusive: true,
    scope: { prefix: 'discord:' },
    deliverGroup: oneByOne(deliver),
    pacing: { pollMs: 500 },
    get client() {
      return client;
    },
    refusedCredentials: (error) =>
      (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) || (error instanceof DiscordAPIError && error.status === 401),
    async start() {
      if (destroyed) [client, destroyed] = [newClient(), false];
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(settings.token);
      await ready;
      await registerCommands(client, deps.config.chains.map((chain) => chain.name), settings.guildId);
      log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord bot connected');
    },
    async stop() {
      destroyed = true;
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

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Bot, GrammyError, InputFile, webhookCallback, type Context } from 'grammy';
import type { Chat } from 'grammy/types';
import type { ChartConfig } from '../../charts/ChartConfig.js';
import { lastDeliveredAt, markPaused, pausedReason, resumePaused } from '../../db/alertQueries.js';
import { ensureWorkspace } from '../../db/workspaceQueries.js';
import { LookoutError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import type { CommandContext } from '../commandContext.js';
import { createChatLimiter, type LimitVerdict } from '../chat/createChatLimiter.js';
import { refuseControlCharacters } from '../chat/refuseControlCharacters.js';
import { changesWorkspace, CHAT_COMMANDS, runChatCommand } from '../chat/runChatCommand.js';
import { pnl } from '../commands/pnl.js';
import { createOutboxWorker, type OutboxWorker } from '../delivery/createOutboxWorker.js';
import type { Reply } from '../reply.js';
import { createTelegramDelivery } from './createTelegramDelivery.js';
import { clipText } from '../../text/clipText.js';
import { fitTelegramHtml, fitTelegramText, TELEGRAM_CAPTION_LIMIT } from './fitTelegramHtml.js';
import { escapeHtml, replyHtml } from './telegramHtml.js';

export type TelegramService = { bot: Bot; worker: OutboxWorker; start(): Promise<void>; stop(): Promise<void> };

/** What the Telegram adapter needs from the core: everything a command needs except who and where. */
export type TelegramDeps = Omit<CommandContext, 'workspaceId' | 'actor'> & { logger: Logger };

const ADMIN_STATUSES = new Set(['creator', 'administrator']);
const ADMIN_CACHE_MS = 60_000;
const CHART_SIZE = { width: 800, height: 480 };
/** The updates Lookout handles; chat_member is only sent when asked for, and it keeps admin rights current. */
export const TELEGRAM_UPDATES = ['message', 'channel_post', 'callback_query', 'my_chat_member', 'chat_member'] as const;
const INTERNAL_ERROR = 'Something went wrong on our side; please try again in a minute.';
const REFUSED_REPLY = 'Telegram refused that answer, so here is a short one: please try a shorter or simpler request.';

/**
 * The Telegram adapter: each chat is a workspace; commands are the platform-free ones, rendered as HTML;
 * in groups only administrators change tracking and settings; alerts come from the outbox within
 * Telegram's limits. Long polling by default, a webhook when one is configured.
 */
export function createTelegramBot(deps: TelegramDeps): TelegramService {
  const settings = deps.config.telegram;
  if (!settings) throw new LookoutError('Telegram is not configured: set TELEGRAM_BOT_TOKEN.', { action: 'stop' });
  const log = deps.logger.child({ component: 'telegram' });
  const bot = new Bot(settings.token, settings.apiRoot ? { client: { apiRoot: settings.apiRoot } } : {});
  const adminCache = new Map<string, { admin: boolean; until: number }>();
  const limiter = createChatLimiter(deps.config.limits);
  const delivery = createTelegramDelivery(bot.api, log, (destination) => lastDeliveredAt(deps.db, destination));
  const worker = createOutboxWorker({
    db: deps.db,
    config: deps.config,
    logger: log,
    events: deps.events,
    scope: { prefix: 'telegram:' },
    deliverGroup: delivery.deliverGroup,
    batchSize: 200,
    pollMs: 500,
  });
  let server: http.Server | undefined;

  /** Who acts, as the audit log names them: the sender chat of a channel post or an anonymous admin, else the user. */
  function actorOf(ctx: Context): string {
    if (ctx.senderChat) return `telegram:chat:${ctx.senderChat.id}`;
    return `telegram:${ctx.from?.id ?? 'unknown'}`;
  }

  async function contextFor(chat: Chat, actor: string): Promise<CommandContext> {
    const title = chat.type === 'private' ? (chat.username ?? chat.first_name) : chat.title;
    const workspaceId = await ensureWorkspace(
      deps.db,
      { id: `telegram:${chat.id}`, platform: 'telegram', externalId: String(chat.id) },
      title,
    );
    const { logger: _logger, ...core } = deps;
    return { ...core, workspaceId, actor };
  }

  async function isAdmin(ctx: Context): Promise<boolean> {
    const chat = ctx.chat!;
    if (chat.type === 'private') return true;
    // Note: an anonymous administrator posts as the group itself.
    if (ctx.senderChat?.id === chat.id) return true;
    const userId = ctx.from?.id;
    if (userId === undefined) return false;
    const key = `${chat.id}:${userId}`;
    const cached = adminCache.get(key);
    if (cached && cached.until > Date.now()) return cached.admin;
    const member = await ctx.api.getChatMember(chat.id, userId);
    const admin = ADMIN_STATUSES.has(member.status);
    adminCache.set(key, { admin, until: Date.now() + ADMIN_CACHE_MS });
    return admin;
  }

  /**
   * Sends HTML cut to Telegram's limit. Should Telegram still refuse it (a 400), the refusal is logged
   * and a short plain answer goes instead, so the person is never left without one.
   */
  async function sendHtml(ctx: Context, html: string): Promise<void> {
    try {
      await ctx.reply(fitTelegramHtml(html), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    } catch (error) {
      if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
      log.warn({ err: error, chat: ctx.chat?.id }, 'telegram refused a reply; sent a short one instead');
      await sendPlain(ctx, REFUSED_REPLY);
    }
  }

  async function sendPlain(ctx: Context, text: string): Promise<void> {
    try {
      await ctx.reply(fitTelegramText(text));
    } catch (error) {
      log.warn({ err: error, chat: ctx.chat?.id }, 'could not answer in a chat');
    }
  }

  async function answer(ctx: Context, reply: Reply & { chart?: ChartConfig | null }): Promise<void> {
    await sendHtml(ctx, replyHtml(reply));
    if (!reply.chart) return;
    const verdict = limiter.chart(`telegram:${ctx.chat!.id}`);
    if (verdict.kind === 'refuse') await sendPlain(ctx, verdict.message);
    if (verdict.kind !== 'allow') return;
    const png = await deps.charts.renderChart(reply.chart, CHART_SIZE);
    const caption = reply.title ? fitTelegramHtml(escapeHtml(reply.title), TELEGRAM_CAPTION_LIMIT) : undefined;
    try {
      await ctx.replyWithPhoto(new InputFile(png, 'pnl.png'), { caption, parse_mode: 'HTML' });
    } catch (error) {
      if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
      log.warn({ err: error, chat: ctx.chat?.id }, 'telegram refused a chart');
      await sendPlain(ctx, 'Telegram refused the chart of this answer; the figures above are complete.');
    }
  }

  async function fail(ctx: Context, error: unknown): Promise<void> {
    if (error instanceof LookoutError && error.action === 'tell_user') {
      await sendHtml(ctx, escapeHtml(error.message));
      return;
    }
    log.error({ err: error, chat: ctx.chat?.id }, 'command failed');
    await sendPlain(ctx, INTERNAL_ERROR);
  }

  /** Applies a limit's verdict: true when the request may go on; a refusal is said once per window. */
  async function within(ctx: Context, verdict: LimitVerdict): Promise<boolean> {
    if (verdict.kind === 'refuse') await sendPlain(ctx, verdict.message);
    return verdict.kind === 'allow';
  }

  for (const command of CHAT_COMMANDS) {
    bot.command(command.name, async (ctx) => {
      try {
        const actor = actorOf(ctx);
        if (!(await within(ctx, limiter.command(`telegram:${ctx.chat.id}`, actor)))) return;
        const args = typeof ctx.match === 'string' ? ctx.match : '';
        refuseControlCharacters([args]);
        const changes = changesWorkspace(command.name, args);
        if (changes && !(await isAdmin(ctx))) {
          await sendPlain(ctx, 'Only this chat’s administrators can change tracking and settings; ask one of them, or use /wallets, /pnl and /trades.');
          return;
        }
        const commandContext = await contextFor(ctx.chat, actor);
        const reply = await runChatCommand(commandContext, command.name, args);
        if (changes) await mentionPause(ctx, reply);
        await answer(ctx, reply);
      } catch (error) {
        await fail(ctx, error);
      }
    });
  }

  /** An admin is told when this chat's alerts were paused, since they are the one who can fix it. */
  async function mentionPause(ctx: Context, reply: Reply): Promise<void> {
    const destination = `telegram:${ctx.chat!.id}`;
    if (await pausedReason(deps.db, destination)) {
      // The bot can obviously write here again: let the paused alerts flow.
      const resumed = await resumePaused(deps.db, destination);
      if (resumed > 0) reply.lines.push(`${resumed} paused alert${resumed === 1 ? '' : 's'} will now be delivered.`);
      deps.events.emit({ type: 'outbox_ready' });
    }
  }

  bot.callbackQuery(/^pnl:(.+)$/, async (ctx) => {
    const chat = ctx.chat;
    if (!chat) {
      // Note: a button of an inline message has no chat to answer in, and so no workspace.
      await ctx.answerCallbackQuery({ text: 'This button only works in the chat Lookout posted it in.' });
      return;
    }
    const verdict = limiter.command(`telegram:${chat.id}`, actorOf(ctx));
    await ctx.answerCallbackQuery({ text: verdict.kind === 'refuse' ? clipText(verdict.message, 200) : verdict.kind === 'allow' ? 'Computing PnL…' : '' });
    if (verdict.kind !== 'allow') return;
    try {
      refuseControlCharacters([ctx.match[1]]);
      const commandContext = await contextFor(chat, actorOf(ctx));
      await answer(ctx, await pnl(commandContext, { wallet: ctx.match[1]! }));
    } catch (error) {
      await fail(ctx, error);
    }
  });

  // Every other button press is answered too, or the person's client spins until it gives up.
  bot.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery({ text: 'This button is no longer in use; run the command again.' });
  });

  bot.on('chat_member', (ctx) => {
    // A promotion or demotion counts at once, not when the cached answer expires.
    adminCache.delete(`${ctx.chat.id}:${ctx.chatMember.new_chat_member.user.id}`);
  });

  bot.on('my_chat_member', async (ctx) => {
    forgetChat(ctx.chat.id);
    const destination = `telegram:${ctx.chat.id}`;
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === 'kicked' || status === 'left') {
      await markPaused(deps.db, destination, `the bot was removed (${status})`);
    } else if (await resumePaused(deps.db, destination)) {
      deps.events.emit({ type: 'outbox_ready' });
    }
  });

  function forgetChat(chatId: number): void {
    for (const key of adminCache.keys()) if (key.startsWith(`${chatId}:`)) adminCache.delete(key);
  }

  bot.catch((error) => log.error({ err: error.error, update_id: error.ctx.update.update_id }, 'telegram update failed'));

  return {
    bot,
    worker,
    async start() {
      await bot.init();
      await bot.api.setMyCommands(
        CHAT_COMMANDS.map((command) => ({ command: command.name, description: command.description })),
      );
      if (settings.webhookUrl) {
        const secretToken = randomBytes(24).toString('hex');
        const path = new URL(settings.webhookUrl).pathname;
        const handle = webhookCallback(bot, 'http', { secretToken });
        server = http.createServer((req, res) => {
          if (req.method === 'POST' && req.url === path) void handle(req, res);
          else res.writeHead(404).end();
        });
        await new Promise<void>((resolve) => server!.listen(settings.webhookPort, resolve));
        await bot.api.setWebhook(settings.webhookUrl, { secret_token: secretToken, allowed_updates: [...TELEGRAM_UPDATES] });
        log.info({ port: settings.webhookPort }, 'telegram webhook listening');
      } else {
        await new Promise<void>((resolve, reject) => {
          bot.start({ allowed_updates: [...TELEGRAM_UPDATES], onStart: () => resolve() }).catch(reject);
        });
        log.info({ bot: bot.botInfo.username }, 'telegram bot polling');
      }
      worker.start();
    },
    async stop() {
      await worker.stop();
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      else if (bot.isRunning()) await bot.stop();
    },
  };
}

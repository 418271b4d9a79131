import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Bot, InputFile, webhookCallback, type Context } from 'grammy';
import type { Chat } from 'grammy/types';
import type { ChartConfig } from '../../charts/ChartConfig.js';
import { lastDeliveredAt, markPaused, pausedReason, resumePaused } from '../../db/alertQueries.js';
import { ensureWorkspace } from '../../db/workspaceQueries.js';
import { LookoutError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import type { CommandContext } from '../commandContext.js';
import { changesWorkspace, CHAT_COMMANDS, runChatCommand } from '../chat/runChatCommand.js';
import { pnl } from '../commands/pnl.js';
import { createOutboxWorker, type OutboxWorker } from '../delivery/createOutboxWorker.js';
import type { Reply } from '../reply.js';
import { createTelegramDelivery } from './createTelegramDelivery.js';
import { escapeHtml, replyHtml } from './telegramHtml.js';

export type TelegramService = { bot: Bot; worker: OutboxWorker; start(): Promise<void>; stop(): Promise<void> };

/** What the Telegram adapter needs from the core: everything a command needs except who and where. */
export type TelegramDeps = Omit<CommandContext, 'workspaceId' | 'actor'> & { logger: Logger };

const ADMIN_STATUSES = new Set(['creator', 'administrator']);
const ADMIN_CACHE_MS = 60_000;
const CHART_SIZE = { width: 800, height: 480 };

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

  async function contextFor(chat: Chat, userId: number): Promise<CommandContext> {
    const title = chat.type === 'private' ? (chat.username ?? chat.first_name) : chat.title;
    const workspaceId = await ensureWorkspace(
      deps.db,
      { id: `telegram:${chat.id}`, platform: 'telegram', externalId: String(chat.id) },
      title,
    );
    const { logger: _logger, ...core } = deps;
    return { ...core, workspaceId, actor: `telegram:${userId}` };
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

  async function answer(ctx: Context, reply: Reply & { chart?: ChartConfig | null }): Promise<void> {
    await ctx.reply(replyHtml(reply), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    if (reply.chart) {
      const png = await deps.charts.renderChart(reply.chart, CHART_SIZE);
      await ctx.replyWithPhoto(new InputFile(png, 'pnl.png'), { caption: reply.title ? escapeHtml(reply.title) : undefined, parse_mode: 'HTML' });
    }
  }

  async function fail(ctx: Context, error: unknown): Promise<void> {
    if (error instanceof LookoutError && error.action === 'tell_user') {
      await ctx.reply(escapeHtml(error.message), { parse_mode: 'HTML' });
      return;
    }
    log.error({ err: error instanceof Error ? error.message : String(error), chat: ctx.chat?.id }, 'command failed');
    await ctx.reply('Something went wrong on our side; please try again in a minute.').catch(() => {});
  }

  for (const command of CHAT_COMMANDS) {
    bot.command(command.name, async (ctx) => {
      try {
        const args = typeof ctx.match === 'string' ? ctx.match : '';
        const changes = changesWorkspace(command.name, args);
        if (changes && !(await isAdmin(ctx))) {
          await ctx.reply('Only this chat’s administrators can change tracking and settings; ask one of them, or use /wallets, /pnl and /trades.');
          return;
        }
        const commandContext = await contextFor(ctx.chat, ctx.from?.id ?? 0);
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
    try {
      await ctx.answerCallbackQuery({ text: 'Computing PnL…' });
      const commandContext = await contextFor(ctx.chat!, ctx.from.id);
      await answer(ctx, await pnl(commandContext, { wallet: ctx.match[1]! }));
    } catch (error) {
      await fail(ctx, error);
    }
  });

  bot.on('my_chat_member', async (ctx) => {
    const destination = `telegram:${ctx.chat.id}`;
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === 'kicked' || status === 'left') {
      await markPaused(deps.db, destination, `the bot was removed (${status})`);
    } else if (await resumePaused(deps.db, destination)) {
      deps.events.emit({ type: 'outbox_ready' });
    }
  });

  bot.catch((error) => log.error({ err: error.message }, 'telegram update failed'));

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
        await bot.api.setWebhook(settings.webhookUrl, { secret_token: secretToken });
        log.info({ port: settings.webhookPort }, 'telegram webhook listening');
      } else {
        await new Promise<void>((resolve, reject) => {
          bot.start({ onStart: () => resolve() }).catch(reject);
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

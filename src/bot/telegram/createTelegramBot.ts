import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Bot, GrammyError, webhookCallback } from 'grammy';
import { lastDeliveredAt } from '../../db/alertQueries.js';
import { pauseDestination, resumeDestination } from '../../db/pauseQueries.js';
import { LookoutError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import { CHAT_COMMANDS } from '../chatCommands.js';
import { createChatLimiter } from '../chat/createChatLimiter.js';
import { runChatCommand } from '../chat/runChatCommand.js';
import type { CommandContext } from '../commandContext.js';
import { pnl } from '../commands/pnl.js';
import type { ChatAdapter } from '../delivery/Sink.js';
import { createTelegramDelivery } from './createTelegramDelivery.js';
import { createTelegramReplies } from './createTelegramReplies.js';
import {
  adminsOnly,
  answer,
  chatDestination,
  createTelegramAdmins,
  deleteSecretMessages,
  errorBoundary,
  rateLimit,
  readRequest,
  refuseControl,
  workspace,
  type LookoutContext,
} from './telegramMiddleware.js';

export type TelegramService = ChatAdapter & { bot: Bot<LookoutContext> };

/** What the Telegram adapter needs from the core: everything a command needs except who and where. */
export type TelegramDeps = Omit<CommandContext, 'workspaceId' | 'actor'> & { logger: Logger };

/** The updates Lookout handles; chat_member is only sent when asked for, and it keeps admin rights current. */
export const TELEGRAM_UPDATES = ['message', 'channel_post', 'callback_query', 'my_chat_member', 'chat_member'] as const;

/**
 * The Telegram adapter, a sink of `telegram:<chat id>` alerts that also serves commands: each chat is a
 * workspace; an update goes through the layers error boundary → request → rate limit → control characters
 * → admins only → workspace → answer, and the command at the end only runs the platform-free command.
 * Alerts come from the outbox within Telegram's limits. Long polling by default, a webhook when configured.
 */
export function createTelegramBot(deps: TelegramDeps): TelegramService {
  const settings = deps.config.telegram;
  if (!settings) throw new LookoutError('Telegram is not configured: set TELEGRAM_BOT_TOKEN.', { action: 'stop' });
  const log = deps.logger.child({ component: 'telegram' });
  const { logger: _logger, ...core } = deps;
  const bot = new Bot<LookoutContext>(settings.token, settings.apiRoot ? { client: { apiRoot: settings.apiRoot } } : {});
  const limiter = createChatLimiter(deps.config.limits);
  const replies = createTelegramReplies({ charts: deps.charts, limiter, logger: log });
  const admins = createTelegramAdmins();
  const delivery = createTelegramDelivery(bot.api, log, (destination) => lastDeliveredAt(deps.db, destination));
  let server: http.Server | undefined;

  bot.use(errorBoundary(replies, log));
  bot.use(readRequest());
  bot.use(deleteSecretMessages(log));
  bot.use(rateLimit(limiter, replies));
  bot.use(refuseControl());
  bot.use(adminsOnly(admins, replies));
  bot.use(workspace(core));
  bot.use(answer(admins, replies));
  bot.use(async (ctx, next) => {
    const { request, workspace: commandContext } = ctx.lookout;
    if (!request || !commandContext) return next();
    ctx.lookout.reply = request.button
      ? await pnl(commandContext, { wallet: request.args })
      : await runChatCommand(commandContext, request.command, request.args, { destination: chatDestination(ctx.chat!.id), name: 'this chat', private: ctx.chat!.type === 'private' });
  });

  bot.on('chat_member', (ctx) => {
    // A promotion or demotion counts at once, not when the cached answer expires.
    admins.forget(ctx.chat.id, ctx.chatMember.new_chat_member.user.id);
  });

  bot.on('my_chat_member', async (ctx) => {
    admins.forget(ctx.chat.id);
    const destination = chatDestination(ctx.chat.id);
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === 'kicked' || status === 'left') {
      await pauseDestination(deps.db, destination, `the bot was removed (${status})`);
    } else if (await resumeDestination(deps.db, destination)) {
      deps.events.emit({ type: 'outbox_ready' });
    }
  });

  bot.catch((error) => log.error({ err: error.error, update_id: error.ctx.update.update_id }, 'telegram update failed'));

  return {
    name: 'telegram',
    exclusive: true,
    scope: { prefix: 'telegram:' },
    deliverGroup: delivery.deliverGroup,
    pacing: { batchSize: 200, pollMs: 500 },
    bot,
    refusedCredentials: (error) => error instanceof GrammyError && error.error_code === 401,
    async start() {
      // Note: bot.init() would retry an unreachable Bot API forever on its own; one getMe lets runLookout say so and back off.
      if (!bot.isInited()) bot.botInfo = await bot.api.getMe();
      await bot.api.setMyCommands(CHAT_COMMANDS.map((command) => ({ command: command.name, description: command.description })));
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
    },
    async stop() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      else if (bot.isRunning()) await bot.stop();
    },
  };
}

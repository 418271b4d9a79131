import type { Context, MiddlewareFn } from 'grammy';
import type { Chat } from 'grammy/types';
import { ensureWorkspace } from '../../db/workspaceQueries.js';
import { LookoutError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import { clipText } from '../../text/clipText.js';
import { changesWorkspace, chatCommand } from '../chatCommands.js';
import type { ChatLimiter } from '../chat/createChatLimiter.js';
import { notePausedDestinations } from '../chat/notePausedDestinations.js';
import { refuseControlCharacters } from '../chat/refuseControlCharacters.js';
import type { ChatAnswer } from '../chat/runChatCommand.js';
import type { CommandContext } from '../commandContext.js';
import type { TelegramReplies } from './createTelegramReplies.js';
import { escapeHtml } from './telegramHtml.js';

/** What a person asked for: a command of the table with the text after it, or the PnL button of an alert. */
export type ChatRequest = { command: string; args: string; button: boolean };

/** What the layers learn about an update, each adding its part for the ones after it. */
export type LookoutState = {
  /** Who acts, as the audit log names them. */
  actor: string;
  request?: ChatRequest;
  /** The command context of the chat's workspace, once the workspace layer ran. */
  workspace?: CommandContext;
  /** What the command answered; the answer layer renders it. */
  reply?: ChatAnswer;
};
export type LookoutContext = Context & { lookout: LookoutState };

const INTERNAL_ERROR = 'Something went wrong on our side; please try again in a minute.';
export const ADMINS_ONLY = 'Only this chat’s administrators can change tracking and settings; ask one of them, or use /wallets, /pnl and /trades.';
const ADMIN_STATUSES = new Set(['creator', 'administrator']);
const ADMIN_CACHE_MS = 60_000;

/** The destination of a Telegram chat: its alerts, its workspace's default route. */
export const chatDestination = (chatId: number) => `telegram:${chatId}`;

/**
 * The error boundary, the outermost layer: an error meant for the person becomes a reply; any other is
 * logged with its cause and stack, and the person gets one sentence instead of silence.
 */
export function errorBoundary(replies: TelegramReplies, logger: Logger): MiddlewareFn<LookoutContext> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof LookoutError && error.action === 'tell_user') {
        await replies.html(ctx, escapeHtml(error.message));
        return;
      }
      logger.error({ err: error, chat: ctx.chat?.id, update_id: ctx.update.update_id }, 'command failed');
      await replies.plain(ctx, INTERNAL_ERROR);
    }
  };
}

/** Reads the request of an update: a command of the table addressed to this bot, or an alert's PnL button; other buttons are answered and dropped. */
export function readRequest(): MiddlewareFn<LookoutContext> {
  return async (ctx, next) => {
    ctx.lookout = { actor: actorOf(ctx) };
    if (ctx.callbackQuery) {
      const wallet = /^pnl:(.+)$/.exec(ctx.callbackQuery.data ?? '')?.[1];
      // Every button press is answered, or the person's client spins until it gives up.
      if (wallet === undefined) return void (await ctx.answerCallbackQuery({ text: 'This button is no longer in use; run the command again.' }));
      // Note: a button of an inline message has no chat to answer in, and so no workspace.
      if (!ctx.chat) return void (await ctx.answerCallbackQuery({ text: 'This button only works in the chat Lookout posted it in.' }));
      ctx.lookout.request = { command: 'pnl', args: wallet, button: true };
    } else if (ctx.chat) {
      const message = ctx.message ?? ctx.channelPost;
      const found = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(message?.text ?? '');
      const addressedHere = !found?.[2] || found[2].toLowerCase() === ctx.me.username.toLowerCase();
      if (found && addressedHere && chatCommand(found[1]!)) ctx.lookout.request = { command: found[1]!, args: found[3] ?? '', button: false };
    }
    await next();
  };
}

/**
 * Deletes a message that may carry an exchange key (`/exchange add ...`) as soon as it is read, in any chat: a group
 * is refused anyway, and the key should not stay on screen. Deleting can fail (a group where the bot may not delete
 * messages); the command goes on either way, and its refusal in a group says to use a new key.
 */
export function deleteSecretMessages(logger: Logger): MiddlewareFn<LookoutContext> {
  return async (ctx, next) => {
    const request = ctx.lookout.request;
    const action = request ? firstWord(request.args)?.toLowerCase() : undefined;
    // Note: anything but list and remove may hold a key, a mistyped `add` included.
    if (request && !request.button && request.command === 'exchange' && action !== undefined && action !== 'list' && action !== 'remove') {
      await ctx.deleteMessage().catch((error: unknown) => logger.warn({ err: error, chat: ctx.chat?.id }, 'could not delete a message holding an exchange key'));
    }
    await next();
  };
}

/** The per-member command limit: a refusal is said once per window (on a button, as its answer), then requests are dropped. */
export function rateLimit(limiter: ChatLimiter, replies: TelegramReplies): MiddlewareFn<LookoutContext> {
  return async (ctx, next) => {
    const request = ctx.lookout.request;
    if (!request) return next();
    const verdict = limiter.command(chatDestination(ctx.chat!.id), ctx.lookout.actor);
    if (request.button) {
      await ctx.answerCallbackQuery({ text: verdict.kind === 'refuse' ? clipText(verdict.message, 200) : verdict.kind === 'allow' ? 'Computing PnL…' : '' });
    } else if (verdict.kind === 'refuse') {
      await replies.plain(ctx, verdict.message);
    }
    if (verdict.kind === 'allow') await next();
  };
}

/** Refuses a control character in what was typed, before it reaches any query. */
export function refuseControl(): MiddlewareFn<LookoutContext> {
  return async (ctx, next) => {
    if (ctx.lookout.request) refuseControlCharacters([ctx.lookout.request.args]);
    await next();
  };
}

/** In groups, only administrators run a command that changes the workspace, as the command table marks it. */
export function adminsOnly(admins: TelegramAdmins, replies: TelegramReplies): MiddlewareFn<LookoutContext> {
  return async (ctx, next) => {
    const request = ctx.lookout.request;
    if (request && changesWorkspace(request.command, firstWord(request.args)) && !(await admins.isAdmin(ctx))) {
      await replies.plain(ctx, ADMINS_ONLY);
      return;
    }
    await next();
  };
}

/** Sets up the chat's workspace (each chat is one) and the command context of the request. */
export function workspace(core: Omit<CommandContext, 'workspaceId' | 'actor'>): MiddlewareFn<LookoutContext> {
  return async (ctx, next) => {
    if (ctx.lookout.request) {
      const chat: Chat = ctx.chat!;
      const title = chat.type === 'private' ? (chat.username ?? chat.first_name) : chat.title;
      const workspaceId = await ensureWorkspace(core.db, { id: chatDestination(chat.id), platform: 'telegram', externalId: String(chat.id) }, title);
      ctx.lookout.workspace = { ...core, workspaceId, actor: ctx.lookout.actor };
    }
    await next();
  };
}

/** Renders what the command answered, with a word to an admin about paused alerts; the chat itself is resumed. */
export function answer(admins: TelegramAdmins, replies: TelegramReplies): MiddlewareFn<LookoutContext> {
  return async (ctx, next) => {
    await next();
    const { reply, workspace: commandContext } = ctx.lookout;
    if (!reply || !commandContext) return;
    const here = chatDestination(ctx.chat!.id);
    await notePausedDestinations(commandContext, reply, {
      here,
      isAdmin: () => admins.isAdmin(ctx),
      describe: (destination) => (destination === here ? 'this chat' : destination),
    });
    await replies.reply(ctx, reply);
  };
}

/** Who acts, as the audit log names them: the sender chat of a channel post or an anonymous admin, else the user. */
export function actorOf(ctx: Context): string {
  if (ctx.senderChat) return `telegram:chat:${ctx.senderChat.id}`;
  return `telegram:${ctx.from?.id ?? 'unknown'}`;
}

function firstWord(text: string): string | undefined {
  return text.trim().split(/\s+/)[0] || undefined;
}

/** Who administers a chat, asked of Telegram and kept a minute; a membership update forgets it at once. */
export type TelegramAdmins = { isAdmin(ctx: Context): Promise<boolean>; forget(chatId: number, userId?: number): void };

/** Answers whether the sender of an update administers its chat; private chats have only their owner. */
export function createTelegramAdmins(now: () => number = Date.now): TelegramAdmins {
  const cache = new Map<string, { admin: boolean; until: number }>();
  return {
    async isAdmin(ctx) {
      const chat = ctx.chat!;
      if (chat.type === 'private') return true;
      // Note: an anonymous administrator posts as the group itself.
      if (ctx.senderChat?.id === chat.id) return true;
      const userId = ctx.from?.id;
      if (userId === undefined) return false;
      const key = `${chat.id}:${userId}`;
      const cached = cache.get(key);
      if (cached && cached.until > now()) return cached.admin;
      const member = await ctx.api.getChatMember(chat.id, userId);
      const admin = ADMIN_STATUSES.has(member.status);
      cache.set(key, { admin, until: now() + ADMIN_CACHE_MS });
      return admin;
    },
    forget(chatId, userId) {
      if (userId !== undefined) return void cache.delete(`${chatId}:${userId}`);
      for (const key of cache.keys()) if (key.startsWith(`${chatId}:`)) cache.delete(key);
    },
  };
}

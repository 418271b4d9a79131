import type { Chat } from 'grammy/types';

import {
  findSendViolations,
  sendLimitBreaches,
  TELEGRAM_SEND_LIMITS,
  type SendLimitBreach,
  type SendLimits,
} from './sendLimits.js';
import { forbidden, tooManyRequests } from './telegramApiError.js';

/** Limits to enforce, on one chat or on every send; `retryAfter` fixes the seconds a 429 asks for. */
export type RateLimitRule = SendLimits & { chatId?: number; retryAfter?: number };

/** A send that was accepted although it went beyond a limit. */
export type SendViolation = SendLimitBreach & { messageId: number };

/** Decides whether a message may go to a chat, and remembers the ones that went. */
export type SendGate = {
  block(chatId: number): void;
  unblock(chatId: number): void;
  /** Adds enforced limits; the returned function lifts them. */
  enforce(rule: RateLimitRule): () => void;
  /** Throws the 403 of a chat that blocked or removed the bot. */
  ensureReachable(chat: Chat): void;
  /** Throws the 403 of a blocked chat or the 429 of an enforced limit. */
  admit(chat: Chat, time: number): void;
  /** Counts a send that was delivered. */
  accepted(chatId: number, time: number, messageId: number): void;
  /** Accepted sends that broke `limits` (Telegram's by default). */
  violations(limits?: SendLimits): SendViolation[];
};

/** Creates a gate with no limits enforced and no chat blocked; windows are shortened by `slackMs`. */
export function createSendGate(slackMs: number): SendGate {
  const blocked = new Set<number>();
  const rules = new Set<RateLimitRule>();
  const history: Array<{ chatId: number; time: number; messageId: number }> = [];

  return {
    block: (chatId) => void blocked.add(chatId),
    unblock: (chatId) => void blocked.delete(chatId),
    enforce(rule) {
      const { perChatPerSecond, perGroupPerMinute, globalPerSecond } = rule;
      // A rule that names no limit means "behave like Telegram".
      const named = perChatPerSecond !== undefined || perGroupPerMinute !== undefined || globalPerSecond !== undefined;
      const stored: RateLimitRule = named ? rule : { ...TELEGRAM_SEND_LIMITS, ...rule };
      rules.add(stored);
      return () => void rules.delete(stored);
    },
    ensureReachable(chat) {
      if (!blocked.has(chat.id)) return;
      throw forbidden(chat.type === 'private' ? 'bot was blocked by the user' : `bot was kicked from the ${chat.type} chat`);
    },
    admit(chat, time) {
      this.ensureReachable(chat);
      for (const rule of rules) {
        if (rule.chatId !== undefined && rule.chatId !== chat.id) continue;
        const breaches = sendLimitBreaches(history, { chatId: chat.id, time }, rule, slackMs);
        if (breaches.length === 0) continue;
        throw tooManyRequests(rule.retryAfter ?? Math.max(...breaches.map((breach) => breach.retryAfter)));
      }
    },
    accepted(chatId, time, messageId) {
      history.push({ chatId, time, messageId });
    },
    violations(limits = TELEGRAM_SEND_LIMITS) {
      return findSendViolations(history, limits, slackMs).map(({ send, ...breach }) => ({
        ...breach,
        messageId: send.messageId,
      }));
    },
  };
}

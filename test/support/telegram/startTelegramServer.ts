import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { BotCommand, ChatMemberUpdated, Message, Update, User, UserFromGetMe } from 'grammy/types';

import { botCommandEntities } from './botCommandEntities.js';
import { createBotApiMethods } from './botApiMethods.js';
import {
  chatMemberOf,
  createChatDirectory,
  type ChatMemberStatus,
  type TestChat,
  type TestUser,
} from './chatDirectory.js';
import { readBotApiRequest, type BotApiParams } from './readBotApiRequest.js';
import { createSendGate, type RateLimitRule, type SendViolation } from './sendGate.js';
import type { SendLimits } from './sendLimits.js';
import { TelegramApiError, type BotApiErrorBody } from './telegramApiError.js';
import {
  commandScopeKey,
  createTelegramTraffic,
  type CallbackAnswer,
  type SentMessage,
} from './telegramTraffic.js';
import { createUpdateQueue, type NewUpdate } from './updateQueue.js';
import { createWebhookDelivery, type WebhookSettings } from './webhookDelivery.js';

/** Options of startTelegramServer. */
export type StartTelegramServerOptions = {
  /** The token handed to tests as `server.token`; a random well-formed one unless given. */
  token?: string;
  /** Answer 401 Unauthorized to every other token, as Telegram does to a revoked one. */
  onlyThisToken?: boolean;
  /** The bot's @username in getMe; LookoutTestBot unless given. */
  botUsername?: string;
  botFirstName?: string;
  /** The update_id of the first update; 100000 unless given. */
  firstUpdateId?: number;
  /**
   * Milliseconds taken off every rate-limit window (50 unless given), so a client that
   * paces itself exactly at a limit is not failed by jitter in when requests are read.
   */
  limitSlackMs?: number;
  /** Delay before a failed webhook delivery is retried; 200 ms unless given. */
  webhookRetryMs?: number;
};

/**
 * A one-shot failure for a method: a Bot API error (HTTP status = error_code), or a dropped
 * connection before the call runs or after it ran (the message is sent but the bot never hears so).
 */
export type TelegramFault =
  | { error_code: number; description: string; retry_after?: number }
  | { disconnect: 'before' | 'after' };

/** One call the server received. */
export type CallLogEntry = {
  method: string;
  params: BotApiParams;
  /** When it arrived, in ms since the epoch. */
  time: number;
  token: string;
  /** The HTTP status answered (the error_code on failure); 0 when the connection was dropped. */
  status: number;
  description?: string;
};

/** A local server speaking the Telegram Bot API to a real client, with a test-side API to play the users. */
export type TelegramServer = {
  /** `http://127.0.0.1:PORT` with no trailing slash, for `new Bot(token, { client: { apiRoot } })`. */
  apiRoot: string;
  /** A token to give the bot; any token is accepted unless `onlyThisToken` was set. */
  token: string;
  /** What getMe answers. */
  bot: UserFromGetMe;
  /** A user writes in a chat; `/commands` carry bot_command entities as on Telegram. Returns the message. */
  sendText(chat: TestChat, from: TestUser, text: string): Message;
  /** A user presses an inline button of a message the bot sent. Returns the callback query id. */
  pressButton(chat: TestChat, from: TestUser, messageId: number, data: string): string;
  /** A user presses a button of an inline message (one with no chat): the callback has no `message`. */
  pressInlineButton(from: TestUser, inlineMessageId: string, data: string): string;
  /** Queues any other update (update_id is assigned). */
  pushUpdate(update: NewUpdate): Update;
  /** Sets what getChatMember says about a user in a chat. */
  setMember(chatId: number, userId: number, status: ChatMemberStatus): void;
  /** sendMessage, sendPhoto and sendDocument calls that succeeded, oldest first; of one chat when given. */
  messages(chatId?: number): SentMessage[];
  callbackAnswers(): CallbackAnswer[];
  /** The commands set with setMyCommands for a scope (default scope unless given). */
  commands(scope?: Record<string, unknown>, languageCode?: string): BotCommand[] | undefined;
  /** The webhook the bot set, or null while it polls. */
  webhook(): WebhookSettings | null;
  /** Resolves with the chat's messages once there are at least `count` (5 s unless given). */
  waitForMessages(chatId: number | undefined, count: number, timeoutMs?: number): Promise<SentMessage[]>;
  /** Resolves with the calls of a method once there are at least `count` (5 s unless given). */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<CallLogEntry[]>;
  /** Calls received per method, failed ones included. */
  readonly calls: Readonly<Record<string, number>>;
  readonly callLog: readonly CallLogEntry[];
  /**
   * Enforces flood limits on sendMessage and sendPhoto: a send beyond them gets 429 with
   * `retry_after`. With no limit named, Telegram's own (1/s per chat, 20/min per group,
   * 30/s in all). Returns a function that lifts the rule.
   */
  rateLimit(rule?: RateLimitRule): () => void;
  /** Makes the next `count` calls of `method` fail with `fault`. */
  failNext(method: string, count: number, fault: TelegramFault): void;
  /**
   * From now on every send to the chat gets 403 (blocked by the user, or kicked from the
   * group). Unless `notify` is false, the bot also gets the my_chat_member update Telegram sends.
   */
  blockBot(chatId: number, options?: { notify?: boolean }): void;
  unblockBot(chatId: number, options?: { notify?: boolean }): void;
  /** Accepted sends that broke Telegram's limits (or `limits`), one entry per rule broken. */
  violations(limits?: SendLimits): SendViolation[];
  /** Answers held polls, closes every connection and the port. */
  stop(): Promise<void>;
};

const HOST = '127.0.0.1';
// Telegram's own service account, shown as the actor when a test does not name one.
const TELEGRAM_SERVICE_USER: User = { id: 777_000, is_bot: false, first_name: 'Telegram' };

/** Starts a simulated Telegram Bot API on a free port of 127.0.0.1. */
export async function startTelegramServer(options: StartTelegramServerOptions = {}): Promise<TelegramServer> {
  const token = options.token ?? `7000000001:AA${randomBytes(32).toString('base64url').slice(0, 33)}`;
  const bot: UserFromGetMe = {
    id: Number(/^(\d+):/.exec(token)?.[1] ?? 7_000_000_001),
    is_bot: true,
    first_name: options.botFirstName ?? 'Lookout',
    username: options.botUsername ?? 'LookoutTestBot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
  const botUser: User = { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
  const chats = createChatDirectory(bot);
  const queue = createUpdateQueue(options.firstUpdateId ?? 100_000);
  const gate = createSendGate(options.limitSlackMs ?? 50);
  const traffic = createTelegramTraffic();
  const webhook = createWebhookDelivery({
    queue,
    retryDelayMs: options.webhookRetryMs ?? 200,
    runReply: async (replyToken, call) => {
      const { method, ...params } = call;
      await invoke(replyToken, String(method), params, new AbortController().signal);
    },
  });
  const methods = createBotApiMethods({ bot, chats, queue, webhook, gate, traffic });
  const canonical = new Map(Object.keys(methods).map((name) => [name.toLowerCase(), name]));
  const calls: Record<string, number> = {};
  const callLog: CallLogEntry[] = [];
  const faults = new Map<string, Array<{ remaining: number; fault: TelegramFault }>>();
  const listeners = new Set<() => void>();
  const onStop = new Set<(error: Error) => void>();
  let nextCallbackQuery = 1n;
  let stopped = false;

  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const takeFault = (method: string): TelegramFault | undefined => {
    const queued = faults.get(method);
    const next = queued?.[0];
    if (queued === undefined || next === undefined) return undefined;
    if (--next.remaining <= 0) queued.shift();
    return next.fault;
  };

  /** Runs one call as Telegram would; `undefined` means the connection is to be dropped. */
  const invoke = async (
    callToken: string,
    requested: string,
    params: BotApiParams,
    signal: AbortSignal,
  ): Promise<{ status: number; body: unknown } | undefined> => {
    const time = Date.now();
    const method = canonical.get(requested.toLowerCase()) ?? requested;
    const entry: CallLogEntry = { method, params, time, token: callToken, status: 0 };
    callLog.push(entry);
    calls[method] = (calls[method] ?? 0) + 1;
    // A long poll may be held for a while; tests waiting for the call need not wait for its answer.
    notify();
    const answer = await answerCall(entry, signal).catch((error: unknown) => {
      const failure = error instanceof TelegramApiError
        ? error
        : new TelegramApiError(500, `Internal Server Error: ${(error as Error).message}`);
      return { status: failure.errorCode, body: failure.toJSON() as unknown };
    });
    if (answer !== undefined) {
      entry.status = answer.status;
      const failure = answer.body as Partial<BotApiErrorBody>;
      if (failure.ok === false) entry.description = failure.description;
    }
    notify();
    return answer;
  };

  const answerCall = async (
    entry: CallLogEntry,
    signal: AbortSignal,
  ): Promise<{ status: number; body: unknown } | undefined> => {
    if (options.onlyThisToken === true && entry.token !== token) throw new TelegramApiError(401, 'Unauthorized');
    const method = methods[entry.method];
    if (method === undefined) throw new TelegramApiError(404, 'Not Found');
    const fault = takeFault(entry.method);
    if (fault !== undefined && 'error_code' in fault) {
      const parameters = fault.retry_after === undefined ? undefined : { retry_after: fault.retry_after };
      throw new TelegramApiError(fault.error_code, fault.description, parameters);
    }
    if (fault?.disconnect === 'before') return undefined;
    const result = await method(entry.params, { token: entry.token, time: entry.time, signal });
    if (fault?.disconnect === 'after') return undefined;
    return { status: 200, body: { ok: true, result } };
  };

  const server = createServer((req, res) => {
    const hungUp = new AbortController();
    res.on('close', () => hungUp.abort());
    void (async () => {
      const call = await readBotApiRequest(req).catch(() => undefined);
      if (call === undefined) return respond(res, 404, new TelegramApiError(404, 'Not Found').toJSON());
      const answer = await invoke(call.token, call.method, call.params, hungUp.signal);
      if (answer === undefined) return void res.socket?.destroy();
      respond(res, answer.status, answer.body);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const pushUpdate = (update: NewUpdate): Update => {
    const numbered = queue.push(update);
    webhook.kick();
    notify();
    return numbered;
  };

  const waitUntil = <T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const ready = check();
      if (ready !== undefined) return resolve(ready);
      const finish = (): void => {
        clearTimeout(timer);
        listeners.delete(listener);
        onStop.delete(fail);
      };
      const listener = (): void => {
        const value = check();
        if (value === undefined) return;
        finish();
        resolve(value);
      };
      const fail = (error: Error): void => {
        finish();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(describe())), timeoutMs);
      listeners.add(listener);
      onStop.add(fail);
    });

  const memberUpdate = (chatId: number, from: User | undefined, status: 'kicked' | 'left' | 'member'): void => {
    const chat = chats.chat(chatId);
    const actor = from ?? (chat.type === 'private' ? chats.user(chatId) : undefined) ?? TELEGRAM_SERVICE_USER;
    const before = status === 'member' ? (chat.type === 'private' ? 'kicked' : 'left') : 'member';
    const update: ChatMemberUpdated = {
      chat,
      from: actor,
      date: Math.floor(Date.now() / 1000),
      old_chat_member: chatMemberOf(botUser, before),
      new_chat_member: chatMemberOf(botUser, status),
    };
    pushUpdate({ my_chat_member: update } as NewUpdate);
  };

  const messagesOf = (chatId?: number): SentMessage[] =>
    traffic.sent.filter((sent) => chatId === undefined || sent.chatId === chatId);

  return {
    apiRoot: `http://${HOST}:${port}`,
    token,
    bot,
    sendText(chat, from, text) {
      const known = chats.rememberChat(chat, from);
      const user = chats.rememberUser(from);
      chats.markSeen(chat.id, from.id);
      const message: Message = {
        message_id: chats.nextMessageId(chat.id),
        from: user,
        chat: known,
        date: Math.floor(Date.now() / 1000),
        text,
      };
      const entities = botCommandEntities(text);
      if (entities.length > 0) message.entities = entities;
      chats.storeMessage(message);
      pushUpdate({ message } as NewUpdate);
      return message;
    },
    pressInlineButton(from, inlineMessageId, data) {
      const user = chats.rememberUser(from);
      const id = String(4_300_000_000_000_000_000n + nextCallbackQuery++);
      traffic.openCallbackQueries.add(id);
      pushUpdate({
        callback_query: { id, from: user, inline_message_id: inlineMessageId, chat_instance: String(-4_100_000_000_000_000), data },
      } as NewUpdate);
      return id;
    },
    pressButton(chat, from, messageId, data) {
      const known = chats.rememberChat(chat, from);
      const user = chats.rememberUser(from);
      const message = chats.message(chat.id, messageId);
      if (message === undefined) throw new Error(`pressButton: chat ${chat.id} has no message ${messageId}`);
      const id = String(4_300_000_000_000_000_000n + nextCallbackQuery++);
      traffic.openCallbackQueries.add(id);
      pushUpdate({
        callback_query: {
          id,
          from: user,
          message: { ...message, chat: known },
          chat_instance: String(-4_000_000_000_000_000 + known.id),
          data,
        },
      } as NewUpdate);
      return id;
    },
    pushUpdate,
    setMember: (chatId, userId, status) => chats.setStatus(chatId, userId, status),
    messages: messagesOf,
    callbackAnswers: () => [...traffic.callbackAnswers],
    commands: (scope, languageCode) => traffic.commands.get(commandScopeKey(scope, languageCode)),
    webhook: () => webhook.current(),
    waitForMessages(chatId, count, timeoutMs = 5_000) {
      return waitUntil(
        () => {
          const sent = messagesOf(chatId);
          return sent.length >= count ? sent : undefined;
        },
        timeoutMs,
        () => {
          const sent = messagesOf(chatId).map((message) => message.shownText);
          const where = chatId === undefined ? 'in all' : `in chat ${chatId}`;
          return `expected ${count} messages ${where} within ${timeoutMs} ms, got ${sent.length}: ${JSON.stringify(sent)}`;
        },
      );
    },
    waitForCalls(method, count, timeoutMs = 5_000) {
      const of = (): CallLogEntry[] => callLog.filter((entry) => entry.method === method);
      return waitUntil(
        () => (of().length >= count ? of() : undefined),
        timeoutMs,
        () => `expected ${count} ${method} calls within ${timeoutMs} ms, got ${of().length}`,
      );
    },
    calls,
    callLog,
    rateLimit: (rule = {}) => gate.enforce(rule),
    failNext(method, count, fault) {
      const queued = faults.get(method) ?? [];
      queued.push({ remaining: count, fault });
      faults.set(method, queued);
    },
    blockBot(chatId, { notify: tell = true } = {}) {
      gate.block(chatId);
      if (tell) memberUpdate(chatId, undefined, chats.chat(chatId).type === 'private' ? 'kicked' : 'left');
    },
    unblockBot(chatId, { notify: tell = true } = {}) {
      gate.unblock(chatId);
      if (tell) memberUpdate(chatId, undefined, 'member');
    },
    violations: (limits) => gate.violations(limits),
    async stop() {
      if (stopped) return;
      stopped = true;
      queue.close();
      webhook.close();
      for (const fail of [...onStop]) fail(new Error('the Telegram test server was stopped'));
      // Let the answers to held polls leave before their sockets are closed.
      await new Promise((resolve) => setImmediate(resolve));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function respond(res: ServerResponse, status: number, body: unknown): void {
  // The client may have hung up on a long poll; there is no one to answer.
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

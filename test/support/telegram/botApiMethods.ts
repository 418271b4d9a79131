import type { BotCommand, UserFromGetMe } from 'grammy/types';

import type { BotApiMethod } from './botApiMethod.js';
import { booleanParam, chatIdParam, integerParam, jsonParam, requiredIntegerParam, stringParam } from './botApiParams.js';
import type { ChatDirectory } from './chatDirectory.js';
import { createMessageMethods } from './messageMethods.js';
import type { SendGate } from './sendGate.js';
import { badRequest, conflict } from './telegramApiError.js';
import { commandScopeKey, type TelegramTraffic } from './telegramTraffic.js';
import type { UpdateQueue } from './updateQueue.js';
import type { WebhookDelivery } from './webhookDelivery.js';

/** Dependencies of createBotApiMethods. */
export type BotApiMethodsDeps = {
  bot: UserFromGetMe;
  chats: ChatDirectory;
  queue: UpdateQueue;
  webhook: WebhookDelivery;
  gate: SendGate;
  traffic: TelegramTraffic;
};

/** Every Bot API method the server answers, by its canonical name. */
export function createBotApiMethods(deps: BotApiMethodsDeps): Record<string, BotApiMethod> {
  const { bot, chats, queue, webhook, traffic } = deps;

  return {
    ...createMessageMethods(deps),

    getMe: () => bot,

    getUpdates(params, { signal }) {
      if (webhook.current() !== null) {
        throw conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      }
      return queue.poll(
        {
          offset: integerParam(params, 'offset'),
          limit: integerParam(params, 'limit'),
          timeout: integerParam(params, 'timeout'),
          allowedUpdates: jsonParam<string[]>(params, 'allowed_updates', 'allowed updates'),
        },
        signal,
      );
    },

    setWebhook(params, { token }) {
      const url = stringParam(params, 'url') ?? '';
      const secretToken = stringParam(params, 'secret_token');
      if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
        throw badRequest('secret token contains unallowed characters');
      }
      if (url !== '' && !/^https?:\/\/[^/]/.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      const allowedUpdates = jsonParam<string[]>(params, 'allowed_updates', 'allowed updates');
      if (allowedUpdates !== undefined) queue.allow(allowedUpdates);
      if (booleanParam(params, 'drop_pending_updates') === true) queue.dropPending();
      if (url === '') {
        webhook.set(null);
        return true;
      }
      queue.interrupt('terminated by setWebhook request');
      const maxConnections = integerParam(params, 'max_connections');
      webhook.set({
        url,
        token,
        ...(secretToken === undefined ? {} : { secretToken }),
        ...(maxConnections === undefined ? {} : { maxConnections }),
      });
      webhook.kick();
      return true;
    },

    deleteWebhook(params) {
      if (booleanParam(params, 'drop_pending_updates') === true) queue.dropPending();
      webhook.set(null);
      return true;
    },

    setMyCommands(params) {
      const commands = jsonParam<unknown[]>(params, 'commands', 'commands');
      if (!Array.isArray(commands) || commands.length > 100) throw badRequest('BOT_COMMANDS_TOO_MUCH');
      const checked = commands.map(checkCommand);
      traffic.commands.set(commandScopeKey(params['scope'], stringParam(params, 'language_code')), checked);
      return true;
    },

    getChatMember(params) {
      const chat = chats.chat(chatIdParam(params));
      return chats.member(chat.id, requiredIntegerParam(params, 'user_id'));
    },

  };
}

function checkCommand(entry: unknown): BotCommand {
  const { command, description } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  if (typeof command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest('BOT_COMMAND_INVALID');
  if (typeof description !== 'string' || description.length < 1 || description.length > 256) {
    throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
  }
  return { command, description };
}

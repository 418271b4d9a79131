import type { Message, MessageEntity, PhotoSize, User, UserFromGetMe } from 'grammy/types';

import type { BotApiCallContext, BotApiMethod } from './botApiMethod.js';
import { chatIdParam, booleanParam, jsonParam, requiredIntegerParam, stringParam } from './botApiParams.js';
import type { ChatDirectory } from './chatDirectory.js';
import { imageSize } from './imageSize.js';
import { photoSizes } from './photoSizes.js';
import type { BotApiParams, UploadedFile } from './readBotApiRequest.js';
import { renderFormattedText } from './renderFormattedText.js';
import { replyMarkupParam } from './replyMarkupParam.js';
import type { SendGate } from './sendGate.js';
import { badRequest } from './telegramApiError.js';
import type { SentMessage, SentPhoto, TelegramTraffic } from './telegramTraffic.js';

/** Dependencies of createMessageMethods. */
export type MessageMethodsDeps = { bot: UserFromGetMe; chats: ChatDirectory; gate: SendGate; traffic: TelegramTraffic };

/** The methods that write to chats: sending messages and photos, deleting a message, and callback answers. */
export function createMessageMethods({ bot, chats, gate, traffic }: MessageMethodsDeps): Record<string, BotApiMethod> {
  const botUser: User = { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
  const deleted = new Set<string>();

  const deliver = (
    context: BotApiCallContext,
    params: BotApiParams,
    build: (message: Message) => void,
    record: Omit<SentMessage, 'chatId' | 'messageId' | 'time' | 'token' | 'message'>,
  ): Message => {
    const chat = chats.chat(chatIdParam(params));
    gate.admit(chat, context.time);
    const message: Message = { message_id: chats.nextMessageId(chat.id), from: botUser, chat, date: seconds(context.time) };
    build(message);
    const markup = record.replyMarkup as Record<string, unknown> | undefined;
    // Only an inline keyboard belongs to the message; reply keyboards live in the client.
    if (markup !== undefined && 'inline_keyboard' in markup) message.reply_markup = markup as unknown as Message['reply_markup'];
    chats.storeMessage(message);
    gate.accepted(chat.id, context.time, message.message_id);
    traffic.sent.push({
      ...record,
      chatId: chat.id,
      messageId: message.message_id,
      time: context.time,
      token: context.token,
      message,
    });
    return message;
  };

  return {
    sendMessage(params, context) {
      const text = stringParam(params, 'text') ?? '';
      const parseMode = stringParam(params, 'parse_mode');
      const shown = renderFormattedText(text, parseMode, jsonParam<MessageEntity[]>(params, 'entities', 'message entities'));
      if (shown.text === '') throw badRequest('message text is empty');
      if ([...shown.text].length > 4096) throw badRequest('message is too long');
      const replyMarkup = replyMarkupParam(params);
      const linkPreviewOptions = jsonParam<SentMessage['linkPreviewOptions']>(params, 'link_preview_options', 'link preview options');
      const disableWebPagePreview = booleanParam(params, 'disable_web_page_preview');
      return deliver(
        context,
        params,
        (message) => {
          message.text = shown.text;
          if (shown.entities.length > 0) message.entities = shown.entities;
        },
        {
          method: 'sendMessage',
          text,
          shownText: shown.text,
          entities: shown.entities,
          ...defined({ parseMode, replyMarkup, linkPreviewOptions, disableWebPagePreview }),
        },
      );
    },

    sendPhoto(params, context) {
      const { photo, sizes } = readPhoto(params['photo'], traffic.photos);
      const caption = stringParam(params, 'caption');
      const parseMode = stringParam(params, 'parse_mode');
      const shown = renderFormattedText(
        caption ?? '',
        parseMode,
        jsonParam<MessageEntity[]>(params, 'caption_entities', 'caption entities'),
      );
      if ([...shown.text].length > 1024) throw badRequest('message caption is too long');
      const replyMarkup = replyMarkupParam(params);
      const message = deliver(
        context,
        params,
        (built) => {
          built.photo = sizes;
          if (shown.text !== '') built.caption = shown.text;
          if (shown.entities.length > 0) built.caption_entities = shown.entities;
        },
        {
          method: 'sendPhoto',
          shownText: shown.text,
          entities: shown.entities,
          photo,
          ...defined({ caption, parseMode, replyMarkup }),
        },
      );
      for (const size of sizes) traffic.photos.set(size.file_id, sizes);
      return message;
    },

    sendDocument(params, context) {
      const upload = params['document'];
      // A test server keeps only uploads: a file_id or URL would name a file it never had.
      if (typeof upload !== 'object' || upload === null || (upload as UploadedFile).kind !== 'upload') throw badRequest('there is no document in the request');
      const file = upload as UploadedFile;
      if (file.bytes.length === 0) throw badRequest('file must be non-empty');
      const caption = stringParam(params, 'caption');
      const parseMode = stringParam(params, 'parse_mode');
      const shown = renderFormattedText(caption ?? '', parseMode, jsonParam<MessageEntity[]>(params, 'caption_entities', 'caption entities'));
      if ([...shown.text].length > 1024) throw badRequest('message caption is too long');
      const replyMarkup = replyMarkupParam(params);
      return deliver(
        context,
        params,
        (built) => {
          built.document = { file_id: `doc-${built.message_id}`, file_unique_id: `udoc-${built.message_id}`, file_name: file.filename, mime_type: file.contentType, file_size: file.bytes.length };
          if (shown.text !== '') built.caption = shown.text;
        },
        { method: 'sendDocument', shownText: shown.text, entities: shown.entities, document: file, ...defined({ caption, parseMode, replyMarkup }) },
      );
    },

    deleteMessage(params) {
      const chat = chats.chat(chatIdParam(params));
      const messageId = requiredIntegerParam(params, 'message_id');
      const key = `${chat.id}:${messageId}`;
      // Telegram says the same for a message that never was and for one already deleted.
      if (chats.message(chat.id, messageId) === undefined || deleted.has(key)) throw badRequest('message to delete not found');
      deleted.add(key);
      return true;
    },

    answerCallbackQuery(params, context) {
      const callbackQueryId = stringParam(params, 'callback_query_id') ?? '';
      // Telegram says the same for an unknown id and for one already answered.
      if (!traffic.openCallbackQueries.delete(callbackQueryId)) {
        throw badRequest('query is too old and response timeout expired or query ID is invalid');
      }
      traffic.callbackAnswers.push({
        callbackQueryId,
        time: context.time,
        ...defined({
          text: stringParam(params, 'text'),
          showAlert: booleanParam(params, 'show_alert'),
          url: stringParam(params, 'url'),
        }),
      });
      return true;
    },
  };
}

function readPhoto(value: unknown, known: Map<string, PhotoSize[]>): { photo: SentPhoto; sizes: PhotoSize[] } {
  if (typeof value === 'object' && value !== null && (value as SentPhoto).kind === 'upload') {
    const upload = value as SentPhoto & { kind: 'upload' };
    if (upload.bytes.length === 0) throw badRequest('file must be non-empty');
    const size = imageSize(upload.bytes);
    if (size === undefined) throw badRequest('IMAGE_PROCESS_FAILED');
    return { photo: upload, sizes: photoSizes(upload.bytes, size.width, size.height) };
  }
  if (typeof value !== 'string' || value === '') throw badRequest('there is no photo in the request');
  const sizes = known.get(value);
  if (sizes !== undefined) return { photo: { kind: 'reference', value }, sizes };
  if (/^https?:\/\//.test(value)) {
    // Telegram would download it; a test server cannot, so the URL stands for an 800×600 picture.
    return { photo: { kind: 'reference', value }, sizes: photoSizes(Buffer.from(value), 800, 600) };
  }
  throw badRequest('wrong file identifier/HTTP URL specified');
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** Drops undefined members, so records only show what was sent. */
function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

import type { BotCommand, LinkPreviewOptions, Message, MessageEntity, PhotoSize } from 'grammy/types';

import type { UploadedFile } from './readBotApiRequest.js';

/** The photo of a sendPhoto: uploaded bytes, or a file_id or URL Telegram would fetch. */
export type SentPhoto = UploadedFile | { kind: 'reference'; value: string };

/** A message the bot sent, as the server accepted it. */
export type SentMessage = {
  method: 'sendMessage' | 'sendPhoto' | 'sendDocument';
  chatId: number;
  messageId: number;
  /** Milliseconds since the epoch, when the server accepted it. */
  time: number;
  token: string;
  /** `text` of a sendMessage, as sent (markup included). */
  text?: string;
  /** `caption` of a sendPhoto, as sent (markup included). */
  caption?: string;
  parseMode?: string;
  /** What a user sees: the text or caption without markup. */
  shownText: string;
  entities: MessageEntity[];
  replyMarkup?: unknown;
  linkPreviewOptions?: LinkPreviewOptions;
  disableWebPagePreview?: boolean;
  photo?: SentPhoto;
  /** The uploaded file of a sendDocument: its name, type and bytes. */
  document?: UploadedFile;
  /** The message returned to the bot. */
  message: Message;
};

/** An answerCallbackQuery the server accepted. */
export type CallbackAnswer = { callbackQueryId: string; time: number; text?: string; showAlert?: boolean; url?: string };

/** Everything the bot did that a test may want to look at afterwards. */
export type TelegramTraffic = {
  sent: SentMessage[];
  callbackAnswers: CallbackAnswer[];
  /** Callback queries pushed and not yet answered. */
  openCallbackQueries: Set<string>;
  /** Commands set with setMyCommands, by scope and language. */
  commands: Map<string, BotCommand[]>;
  /** Photo sizes by file_id, so a photo can be sent again by id. */
  photos: Map<string, PhotoSize[]>;
};

/** Creates empty traffic records. */
export function createTelegramTraffic(): TelegramTraffic {
  return { sent: [], callbackAnswers: [], openCallbackQueries: new Set(), commands: new Map(), photos: new Map() };
}

/** The key commands are stored under: Telegram keeps one list per scope and language. */
export function commandScopeKey(scope: unknown, languageCode: string | undefined): string {
  return `${JSON.stringify(scope ?? { type: 'default' })}|${languageCode ?? ''}`;
}

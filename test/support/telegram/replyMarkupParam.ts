import type { BotApiParams } from './readBotApiRequest.js';
import { badRequest } from './telegramApiError.js';

/** `reply_markup`, refused as Telegram refuses it: unparseable JSON, text-only inline buttons, callback_data over 64 bytes. */
export function replyMarkupParam(params: BotApiParams): Record<string, unknown> | undefined {
  const markup = params['reply_markup'];
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== 'object' || Array.isArray(markup)) {
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard;
  if (rows === undefined) return markup as Record<string, unknown>;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  }
  for (const button of rows.flat() as unknown[]) checkInlineButton(button);
  return markup as Record<string, unknown>;
}

function checkInlineButton(button: unknown): void {
  if (typeof button !== 'object' || button === null) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const { text, callback_data: data, url } = button as Record<string, unknown>;
  if (typeof text !== 'string') throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  const actions = Object.keys(button).filter((key) => key !== 'text' && key !== 'style' && key !== 'icon_custom_emoji_id');
  if (actions.length === 0) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  if (data !== undefined) {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : 0;
    if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
  }
  if (url !== undefined && !isButtonUrl(url)) {
    throw badRequest(`inline keyboard button URL '${String(url)}' is invalid: Wrong HTTP URL`);
  }
}

function isButtonUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    return ['http:', 'https:', 'tg:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

import type { MessageEntity } from 'grammy/types';

import { parseTelegramHtml, trimFormattedText, type FormattedText } from './parseTelegramHtml.js';
import { badRequest } from './telegramApiError.js';

/**
 * What Telegram makes of a `text` or `caption` with its `parse_mode` or explicit entities.
 * Note: Markdown and MarkdownV2 are accepted but not parsed; the raw text is what is shown.
 */
export function renderFormattedText(
  raw: string,
  parseMode: string | undefined,
  entities: MessageEntity[] | undefined,
): FormattedText {
  // A lone UTF-16 surrogate (half an emoji) cannot be encoded as UTF-8, and Telegram refuses it.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(raw)) throw badRequest('text must be encoded in UTF-8');
  // Explicit entities win over parse_mode, as on Telegram.
  if (entities !== undefined) return trimFormattedText({ text: raw, entities });
  switch (parseMode?.toLowerCase()) {
    case undefined:
    case '':
    case 'markdown':
    case 'markdownv2':
      return trimFormattedText({ text: raw, entities: [] });
    case 'html':
      return parseTelegramHtml(raw);
    default:
      throw badRequest('unsupported parse_mode');
  }
}

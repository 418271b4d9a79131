import type { MessageEntity } from 'grammy/types';

// A command starts the text or follows whitespace; `@BotName` stays part of it, as grammY expects.
const COMMAND = /(?<=^|\s)\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?/g;

/** The `bot_command` entities Telegram attaches to a user's text (`/track`, `/pnl@LookoutBot`). */
export function botCommandEntities(text: string): MessageEntity[] {
  return [...text.matchAll(COMMAND)].map((match) => ({
    type: 'bot_command' as const,
    offset: match.index,
    length: match[0].length,
  }));
}

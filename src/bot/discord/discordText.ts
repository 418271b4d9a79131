import { escapeMarkdown, type MessageMentionOptions } from 'discord.js';
import { clipText } from '../../text/clipText.js';

/** Discord's limits on what one message may carry. */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Lookout never means to ping anyone: no @everyone, no role, no user, not even the person who asked. */
export const NO_MENTIONS: MessageMentionOptions = { parse: [], users: [], roles: [], repliedUser: false };

/**
 * Text shown in Discord exactly as typed: every markdown mark escaped (masked links, headings and lists
 * included), and user and role mentions broken so that they neither ping nor render as a name (a channel
 * mention pings no one and is how Lookout names channels, so it stays).
 */
export function escapeDiscord(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
    .replace(/@(everyone|here)/gi, '@\u200b$1')
    .replace(/<(?=@|\/|a?:|t:)/g, '<\u200b');
}

/** Message content within Discord's 2,000 characters. */
export function fitContent(text: string): string {
  return clipText(text, DISCORD_LIMITS.content);
}

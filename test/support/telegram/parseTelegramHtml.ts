import type { MessageEntity } from 'grammy/types';

import { badRequest } from './telegramApiError.js';

/** What a Telegram user sees: the text once markup is removed, and the entities that format it. */
export type FormattedText = { text: string; entities: MessageEntity[] };

const TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins',
  'tg-spoiler', 'tg-emoji', 'span', 'pre', 'code', 'blockquote',
]);

const SIMPLE_ENTITY: Record<string, MessageEntity.CommonMessageEntity['type']> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler', span: 'spoiler',
};

type OpenTag = { tag: string; argument: string; offset: number };

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/**
 * Parses text sent with `parse_mode: 'HTML'` the way the Bot API does: only Telegram's tags,
 * only `&lt; &gt; &amp; &quot;` and numeric references, and the same 400 errors (with UTF-8
 * byte offsets) for anything else, so an unescaped `<` from user input fails here as it would there.
 */
export function parseTelegramHtml(html: string): FormattedText {
  const fail = (reason: string) => badRequest(`can't parse entities: ${reason}`);
  const byteOffset = (index: number): number => Buffer.byteLength(html.slice(0, index));
  const end = html.length;
  const open: OpenTag[] = [];
  const entities: MessageEntity[] = [];
  let text = '';
  let i = 0;

  while (i < end) {
    const ch = html[i]!;
    if (ch === '&') {
      const decoded = decodeHtmlEntity(html, i);
      if (decoded !== undefined) {
        text += decoded.char;
        i = decoded.next;
        continue;
      }
    }
    if (ch !== '<') {
      text += ch;
      i++;
      continue;
    }
    const tagStart = i++;
    if (html[i] !== '/') {
      while (i < end && !isSpace(html[i]) && html[i] !== '>') i++;
      if (i >= end) throw fail(`Unclosed start tag at byte offset ${byteOffset(tagStart)}`);
      const tag = html.slice(tagStart + 1, i).toLowerCase();
      if (!TAGS.has(tag)) throw fail(`Unsupported start tag "${tag}" at byte offset ${byteOffset(tagStart)}`);
      let argument = '';
      while (html[i] !== '>') {
        while (i < end && isSpace(html[i])) i++;
        if (i >= end) throw fail(`Unclosed start tag at byte offset ${byteOffset(tagStart)}`);
        if (html[i] === '>') break;
        const nameStart = i;
        while (i < end && !isSpace(html[i]) && !'=>/"\''.includes(html[i]!)) i++;
        const attribute = html.slice(nameStart, i).toLowerCase();
        if (attribute === '') {
          throw fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(tagStart)}`);
        }
        while (i < end && isSpace(html[i])) i++;
        if (html[i] !== '=') {
          if (i >= end) throw fail(`Unclosed start tag "${tag}" at byte offset ${byteOffset(tagStart)}`);
          if (tag === 'blockquote' && attribute === 'expandable') argument = 'expandable';
          continue;
        }
        i++;
        while (i < end && isSpace(html[i])) i++;
        if (i >= end) throw fail(`Unclosed start tag "${tag}" at byte offset ${byteOffset(tagStart)}`);
        let value = '';
        const quote = html[i];
        if (quote !== '"' && quote !== "'") {
          const tokenStart = i;
          while (i < end && /[A-Za-z0-9.-]/.test(html[i]!)) i++;
          value = html.slice(tokenStart, i).toLowerCase();
          if (i >= end || (!isSpace(html[i]) && html[i] !== '>')) {
            throw fail(`Unexpected end of name token at byte offset ${byteOffset(tokenStart)}`);
          }
        } else {
          i++;
          while (i < end && html[i] !== quote) {
            const decoded = html[i] === '&' ? decodeHtmlEntity(html, i) : undefined;
            if (decoded !== undefined) {
              value += decoded.char;
              i = decoded.next;
            } else {
              value += html[i];
              i++;
            }
          }
          if (html[i] === quote) i++;
          if (i >= end) throw fail(`Unclosed start tag at byte offset ${byteOffset(tagStart)}`);
        }
        if (tag === 'a' && attribute === 'href') argument = value;
        else if (tag === 'code' && attribute === 'class' && value.startsWith('language-')) argument = value.slice(9);
        else if (tag === 'span' && attribute === 'class' && value.startsWith('tg-')) argument = value.slice(3);
        else if (tag === 'tg-emoji' && attribute === 'emoji-id') argument = value;
      }
      if (tag === 'span' && argument !== 'spoiler') {
        throw fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(tagStart)}`);
      }
      open.push({ tag, argument, offset: text.length });
      i++;
      continue;
    }
    if (open.length === 0) throw fail(`Unexpected end tag at byte offset ${byteOffset(tagStart)}`);
    i++;
    const nameStart = i;
    while (i < end && !isSpace(html[i]) && html[i] !== '>') i++;
    const endTag = html.slice(nameStart, i).toLowerCase();
    while (i < end && isSpace(html[i])) i++;
    if (html[i] !== '>') throw fail(`Unclosed end tag at byte offset ${byteOffset(tagStart)}`);
    const top = open.pop()!;
    if (endTag !== '' && endTag !== top.tag) {
      throw fail(
        `Unmatched end tag at byte offset ${byteOffset(tagStart)}, expected "</${top.tag}>", found "</${endTag}>"`,
      );
    }
    i++;
    if (text.length > top.offset) closeEntity(entities, top, text.length - top.offset, fail);
  }
  const unclosed = open.at(-1);
  if (unclosed !== undefined) throw fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return trimFormattedText({ text, entities: sortEntities(entities) });
}

function closeEntity(
  entities: MessageEntity[],
  tag: OpenTag,
  length: number,
  fail: (reason: string) => Error,
): void {
  const { offset } = tag;
  const simple = SIMPLE_ENTITY[tag.tag];
  if (simple !== undefined) {
    entities.push({ type: simple, offset, length });
    return;
  }
  const last = entities.at(-1);
  const sameRange = last !== undefined && last.offset === offset && last.length === length;
  switch (tag.tag) {
    case 'a':
      // Note: an empty href makes no link on Telegram either; the text stays plain.
      if (tag.argument !== '') entities.push({ type: 'text_link', offset, length, url: tag.argument });
      return;
    case 'tg-emoji':
      if (!/^\d+$/.test(tag.argument)) throw fail('Invalid custom emoji identifier specified');
      entities.push({ type: 'custom_emoji', offset, length, custom_emoji_id: tag.argument });
      return;
    case 'blockquote':
      entities.push({ type: tag.argument === 'expandable' ? 'expandable_blockquote' : 'blockquote', offset, length });
      return;
    case 'code':
      // Telegram only keeps a language for <pre><code class="language-x">, merged into one pre entity.
      if (sameRange && last.type === 'pre') {
        entities[entities.length - 1] = tag.argument === '' ? last : { ...last, language: tag.argument };
      } else {
        entities.push(tag.argument === '' ? { type: 'code', offset, length } : pendingLanguage(offset, length, tag.argument));
      }
      return;
    case 'pre':
      if (sameRange && last.type === 'code') {
        const language = languages.get(last);
        entities[entities.length - 1] = language === undefined
          ? { type: 'pre', offset, length }
          : { type: 'pre', offset, length, language };
      } else {
        entities.push({ type: 'pre', offset, length });
      }
      return;
  }
}

// A <code class="language-x"> outside <pre> is plain code; the language waits here in case a <pre> closes around it.
const languages = new WeakMap<MessageEntity, string>();

function pendingLanguage(offset: number, length: number, language: string): MessageEntity {
  const entity: MessageEntity = { type: 'code', offset, length };
  languages.set(entity, language);
  return entity;
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** Telegram trims the text a message shows; entities move with it and lose what was cut. */
export function trimFormattedText({ text, entities }: FormattedText): FormattedText {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const moved: MessageEntity[] = [];
  for (const entity of entities) {
    const start = Math.max(0, entity.offset - lead);
    const stop = Math.min(trimmed.length, entity.offset + entity.length - lead);
    if (stop > start) moved.push({ ...entity, offset: start, length: stop - start });
  }
  return { text: trimmed, entities: moved };
}

/** Decodes `&lt; &gt; &amp; &quot;` and `&#N;`/`&#xN;` at `index` (the `;` is optional); others stay literal. */
function decodeHtmlEntity(html: string, index: number): { char: string; next: number } | undefined {
  let next = index + 1;
  let code = 0;
  if (html[next] === '#') {
    next++;
    const hex = html[next] === 'x' || html[next] === 'X';
    if (hex) next++;
    const digits = hex ? /[0-9a-fA-F]/ : /[0-9]/;
    const start = next;
    while (next < html.length && digits.test(html[next]!)) next++;
    if (next === start || next - index >= 10) return undefined;
    code = Number.parseInt(html.slice(start, next), hex ? 16 : 10);
    if (code === 0 || code >= 0x10ffff) return undefined;
  } else {
    const start = next;
    while (next < html.length && /[A-Za-z]/.test(html[next]!)) next++;
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const found = named[html.slice(start, next)];
    if (found === undefined) return undefined;
    code = found;
  }
  if (html[next] === ';') next++;
  return { char: String.fromCodePoint(code), next };
}

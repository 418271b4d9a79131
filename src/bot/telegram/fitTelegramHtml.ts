import { clipText, ELLIPSIS } from '../../text/clipText.js';

/** Telegram refuses a message text over 4096 characters and a caption over 1024. */
export const TELEGRAM_TEXT_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;

const TOKEN = /<\/?([a-z]+)[^>]*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);|[\ud800-\udbff][\udc00-\udfff]|[^]/giy;

/**
 * Telegram HTML cut to at most `max` characters of source, still valid: never inside a tag, an entity
 * or a surrogate pair, with every tag left open closed again after the `…`. A cut prefers the end of
 * a line when one is near, so a reply loses whole lines rather than half of one.
 */
export function fitTelegramHtml(html: string, max: number = TELEGRAM_TEXT_LIMIT): string {
  if (html.length <= max) return html;
  const open: string[] = [];
  let kept = '';
  let lastLine: { at: number; open: string[] } | undefined;
  const closers = (tags: string[]) => tags.map((tag) => `</${tag}>`).reverse().join('');
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(html); match !== null; match = TOKEN.exec(html)) {
    const token = match[0];
    const tag = match[1]?.toLowerCase();
    const after = tag === undefined ? open : token.startsWith('</') ? open.slice(0, -1) : [...open, tag];
    if (kept.length + token.length + ELLIPSIS.length + closers(after).length > max) break;
    if (token === '\n') lastLine = { at: kept.length, open: [...open] };
    kept += token;
    if (tag !== undefined) {
      if (token.startsWith('</')) open.pop();
      else open.push(tag);
    }
  }
  // A line end in the last quarter is a better place to stop than the middle of a word.
  if (lastLine && lastLine.at > kept.length * 0.75) {
    return `${kept.slice(0, lastLine.at)}${closers(lastLine.open)}\n${ELLIPSIS}`;
  }
  return `${kept}${ELLIPSIS}${closers(open)}`;
}

/** Plain text (no parse mode) cut to Telegram's limit. */
export function fitTelegramText(text: string, max: number = TELEGRAM_TEXT_LIMIT): string {
  return clipText(text, max);
}

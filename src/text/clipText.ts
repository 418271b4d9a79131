/** The mark left where text was cut. */
export const ELLIPSIS = '…';

/**
 * Text cut to at most `max` UTF-16 code units, ending in `…` when it was cut. The cut falls on a
 * code-point boundary, so a surrogate pair (an emoji) is never split in half.
 *
 * Note: limits are counted in UTF-16 code units, which is never fewer than the code points Telegram
 * and Discord count; text that fits here fits there.
 */
export function clipText(text: string, max: number, ellipsis: string = ELLIPSIS): string {
  if (text.length <= max) return text;
  const room = Math.max(0, max - ellipsis.length);
  return `${cutAt(text, room)}${ellipsis}`.slice(0, Math.max(0, max));
}

/** The longest prefix of `text` of at most `max` UTF-16 code units that ends on a code-point boundary. */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const before = text.charCodeAt(end - 1);
  // A high surrogate at the end would be half of a pair: leave it out.
  if (end > 0 && before >= 0xd800 && before <= 0xdbff) end--;
  return text.slice(0, end);
}

/** How long a quoted piece of user input may be in a reply. */
export const QUOTE_LENGTH = 40;

/**
 * User input as a reply may quote it: shortened to `max` code units and with control characters shown
 * as `�`, so an echo can never make a reply too long or unprintable.
 */
export function quoteInput(text: string, max: number = QUOTE_LENGTH): string {
  // eslint-disable-next-line no-control-regex
  return clipText(text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD'), max);
}

/** The first character that no chat command may contain (C0 and C1 controls, DEL, a lone surrogate), or undefined. */
export function findControlCharacter(text: string): string | undefined {
  // Note: tab, line feed and carriage return separate arguments as spaces do, so they are allowed.
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(text);
  return control?.[0];
}

/** `U+0000`: how a character is named in a reply. */
export function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A piece of text with optional emphasis or a link; adapters render and escape it for their platform. */
export type Span = { text: string; bold?: boolean; code?: boolean; url?: string };
/** A line of a reply: plain text, or spans. */
export type Line = string | Span[];
export type ReplyTone = 'neutral' | 'success' | 'error' | 'buy' | 'sell' | 'info';

/** What a command answers, free of any platform: Telegram, Discord and the CLI only render it. */
export type Reply = {
  title?: string;
  lines: Line[];
  fields?: { name: string; value: string; inline?: boolean }[];
  tone: ReplyTone;
  /** The machine-readable answer, printed by `--json`. */
  data?: unknown;
  /** Only the person who asked should see it, where the platform allows. */
  ephemeral?: boolean;
};

/** A reply that tells a person what was wrong and what to do instead. */
export function errorReply(message: string): Reply {
  return { lines: [message], tone: 'error', ephemeral: true, data: { error: message } };
}

/** The plain text of a line; with `withUrls`, links are shown after their text. */
export function lineText(line: Line, withUrls = false): string {
  if (typeof line === 'string') return line;
  return line
    .map((span) => (withUrls && span.url && span.url !== span.text ? `${span.text} (${span.url})` : span.text))
    .join('');
}

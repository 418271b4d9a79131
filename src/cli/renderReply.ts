import { lineText, type Reply } from '../bot/reply.js';

/** A reply as terminal text: the title, then its lines and fields. */
export function renderReply(reply: Reply): string {
  const out: string[] = [];
  if (reply.title) out.push(reply.title);
  for (const line of reply.lines) out.push(`${reply.title ? '  ' : ''}${lineText(line)}`);
  for (const field of reply.fields ?? []) out.push(`  ${field.name}: ${field.value}`);
  return `${out.join('\n')}\n`;
}

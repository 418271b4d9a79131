import type { IncomingMessage } from 'node:http';

import { parseMultipart } from './parseMultipart.js';

/** A file uploaded with multipart/form-data. */
export type UploadedFile = { kind: 'upload'; filename: string; contentType: string; bytes: Buffer };

/** The parameters of a call, whatever encoding they came in. */
export type BotApiParams = Record<string, unknown>;

/** A parsed call to `/bot<token>/<method>`. */
export type BotApiRequest = { token: string; method: string; params: BotApiParams };

// Form fields arrive as strings; the Bot API reads these as JSON, integers or booleans.
const JSON_FIELDS = new Set([
  'reply_markup', 'link_preview_options', 'entities', 'caption_entities', 'allowed_updates',
  'commands', 'scope', 'reply_parameters', 'media', 'permissions',
]);
const INTEGER_FIELDS = new Set([
  'chat_id', 'user_id', 'message_id', 'offset', 'limit', 'timeout', 'message_thread_id',
  'reply_to_message_id', 'cache_time', 'max_connections', 'until_date', 'from_chat_id',
]);
const BOOLEAN_FIELDS = new Set([
  'disable_web_page_preview', 'disable_notification', 'protect_content', 'show_alert', 'drop_pending_updates',
  'show_caption_above_media', 'has_spoiler', 'allow_sending_without_reply', 'only_if_banned',
]);

/**
 * Reads a Bot API call from JSON, multipart/form-data (files become UploadedFile, and
 * `attach://name` references are resolved), urlencoded bodies or the query string.
 * Undefined when the path is not a Bot API method.
 */
export async function readBotApiRequest(req: IncomingMessage): Promise<BotApiRequest | undefined> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
  const body = await readBody(req);
  if (route === null) return undefined;
  const params: BotApiParams = Object.fromEntries(url.searchParams);
  const contentType = req.headers['content-type'] ?? '';
  if (body.length > 0) {
    if (contentType.startsWith('application/json')) Object.assign(params, parseJsonObject(body.toString('utf8')));
    else if (contentType.startsWith('multipart/form-data')) Object.assign(params, readMultipart(body, contentType));
    else if (contentType.startsWith('application/x-www-form-urlencoded')) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    }
  }
  return { token: decodeURIComponent(route[1]!), method: route[2]!, params: normalize(params) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJsonObject(text: string): BotApiParams {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as BotApiParams) : {};
  } catch {
    // Telegram answers a broken body as if the parameters were missing.
    return {};
  }
}

function readMultipart(body: Buffer, contentType: string): BotApiParams {
  const fields: BotApiParams = {};
  const files = new Map<string, UploadedFile>();
  for (const part of parseMultipart(body, contentType)) {
    if (part.filename === undefined) {
      fields[part.name] = part.data.toString('utf8');
    } else {
      const contentType = part.contentType ?? 'application/octet-stream';
      files.set(part.name, { kind: 'upload', filename: part.filename, contentType, bytes: part.data });
    }
  }
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || !value.startsWith('attach://')) continue;
    const attached = files.get(value.slice('attach://'.length));
    if (attached === undefined) continue;
    fields[name] = attached;
    files.delete(value.slice('attach://'.length));
  }
  // A file posted under the parameter's own name is the parameter.
  for (const [name, file] of files) if (!(name in fields)) fields[name] = file;
  return fields;
}

function normalize(params: BotApiParams): BotApiParams {
  const normalized: BotApiParams = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') normalized[name] = value;
    else if (JSON_FIELDS.has(name)) normalized[name] = parseJsonOr(value);
    else if (INTEGER_FIELDS.has(name) && /^-?\d+$/.test(value)) normalized[name] = Number(value);
    else if (BOOLEAN_FIELDS.has(name) && (value === 'true' || value === 'false')) normalized[name] = value === 'true';
    else normalized[name] = value;
  }
  return normalized;
}

// Unparseable JSON stays a string so the method can refuse it with Telegram's own message.
function parseJsonOr(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

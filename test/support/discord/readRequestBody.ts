import type { IncomingMessage } from 'node:http';

import { discordErrors } from './discordApiError.js';

/** A file uploaded in a multipart request, under its form field (`files[0]`, ...). */
export type UploadedFile = {
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
};

/** A request body: JSON (from the body or from `payload_json`) and any uploaded files. */
export type RequestBody = {
  json: unknown;
  files: UploadedFile[];
};

/** Reads a JSON or multipart/form-data body the way Discord accepts them. */
export async function readRequestBody(req: IncomingMessage): Promise<RequestBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) return readMultipart(raw, contentType);
  if (raw.length === 0) return { json: null, files: [] };
  return { json: parseJson(raw.toString('utf8')), files: [] };
}

// Node's fetch Response parses multipart bodies, which spares a hand-written parser.
async function readMultipart(raw: Buffer, contentType: string): Promise<RequestBody> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  let json: unknown = null;
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') json = parseJson(value);
      else fields[field] = value;
      continue;
    }
    files.push({
      field,
      filename: value.name,
      contentType: value.type || 'application/octet-stream',
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  // Note: without payload_json Discord reads the other form fields as the JSON body's keys.
  if (json === null && Object.keys(fields).length > 0) json = fields;
  return { json, files };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw discordErrors.invalidJson();
  }
}

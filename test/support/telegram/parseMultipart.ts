/** One part of a multipart/form-data body. */
export type MultipartPart = { name: string; filename?: string; contentType?: string; data: Buffer };

/**
 * Splits a multipart/form-data body. Lenient where Telegram is: grammY writes
 * `content-disposition:form-data;name="x"` with no spaces and an unquoted `filename=`,
 * which Node's `Response.formData()` rejects.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (marker === undefined) return [];
  const delimiter = Buffer.from(`--${marker}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString('latin1') === '--') break;
    if (body.subarray(at, at + 2).toString('latin1') === '\r\n') at += 2;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd === -1) break;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next === -1) break;
    const part = readPart(body.subarray(at, headerEnd).toString('utf8'), body.subarray(headerEnd + 4, next));
    if (part !== undefined) parts.push(part);
    at = next + 2;
  }
  return parts;
}

function readPart(headerText: string, data: Buffer): MultipartPart | undefined {
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headerParams(headers.get('content-disposition') ?? '');
  const name = disposition.get('name');
  if (name === undefined) return undefined;
  const part: MultipartPart = { name, data: Buffer.from(data) };
  const filename = disposition.get('filename');
  if (filename !== undefined) part.filename = filename;
  const contentType = headers.get('content-type');
  if (contentType !== undefined) part.contentType = contentType;
  return part;
}

function headerParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const match of value.matchAll(/;\s*([A-Za-z*]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    params.set(match[1]!.toLowerCase(), match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!.trim());
  }
  return params;
}

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress, privateAddressRefused } from '../../usecases/checkWebhookUrl.js';

/** What a webhook answered: its status, and its `Retry-After` header when it gave one. */
export type WebhookAnswer = { status: number; statusText: string; retryAfter: string | undefined };

/**
 * POSTs a body to a webhook and answers its status; the answer's body is read and dropped. Throws on a
 * network fault or when `timeoutMs` passes. Unless `allowPrivate`, the connection's own DNS lookup refuses
 * private and loopback addresses, so a host that resolves elsewhere after the route was checked is refused too.
 */
export function postWebhook(
  url: URL,
  body: string,
  options: { headers: Record<string, string>; timeoutMs: number; allowPrivate: boolean },
): Promise<WebhookAnswer> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  // Note: Node connects to an IP address without a lookup, so an address in the URL is judged here.
  if (!options.allowPrivate && isIP(literal) !== 0 && isPrivateAddress(literal)) return Promise.reject(privateAddressRefused(literal, undefined));
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(signal.aborted ? new WebhookTimeout(options.timeoutMs, { cause: error }) : error);
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(body)) },
        signal,
        ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            retryAfter: typeof response.headers['retry-after'] === 'string' ? response.headers['retry-after'] : undefined,
          }),
        );
        response.on('error', fail);
      },
    );
    request.on('error', fail);
    request.end(body);
  });
}

/** A webhook that did not answer within the time allowed. */
export class WebhookTimeout extends Error {
  constructor(timeoutMs: number, options: { cause: unknown }) {
    super(`the webhook did not answer within ${timeoutMs} ms`, options);
    this.name = 'WebhookTimeout';
  }
}

/** `dns.lookup`, refusing every answer that holds a private or loopback address. */
const publicOnlyLookup: LookupFunction = (hostname, options: LookupOptions, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find(({ address }) => isPrivateAddress(address));
    if (refused || addresses.length === 0) return callback(privateAddressRefused(hostname, refused?.address) as NodeJS.ErrnoException, '', 0);
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** How long a `Retry-After` header asks to wait, in milliseconds: seconds, or an HTTP date; undefined when unreadable. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

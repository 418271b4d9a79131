import { lookup as dnsLookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';
import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';

/** Resolves a host name to all its addresses, as `node:dns` lookup does. */
export type ResolveHost = (hostname: string) => Promise<{ address: string }[]>;

const resolveAll: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A webhook URL as typed: an http or https URL of at most 2,000 characters, without user name or password. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UserInputError(`'${quoteInput(text)}' is not a URL; give the webhook's full address, such as https://example.com/lookout.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserInputError(`A webhook must be an http or https URL, not ${url.protocol.replace(/:$/, '')}; give an address such as https://example.com/lookout.`);
  }
  if (url.username || url.password) throw new UserInputError('A webhook URL must not carry a user name or password; the signature proves the sender.');
  if (url.href.length > 2_000) throw new UserInputError('That webhook URL is longer than 2,000 characters; give a shorter one.');
  return url;
}

/**
 * Checks a webhook URL and every address its host resolves to: loopback, private, link-local and other
 * addresses that are not on the public internet are refused unless `allowPrivate`, so that a route cannot
 * make Lookout post into the network it runs in. Answers the parsed URL.
 */
export async function checkWebhookUrl(text: string, options: { allowPrivate: boolean; resolve?: ResolveHost }): Promise<URL> {
  const url = parseWebhookUrl(text);
  if (options.allowPrivate) return url;
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string }[];
  try {
    addresses = await (options.resolve ?? resolveAll)(hostname);
  } catch (error) {
    throw new UserInputError(`The webhook host ${quoteInput(hostname)} could not be resolved; check the URL.`, { cause: error });
  }
  const refused = addresses.find(({ address }) => isPrivateAddress(address));
  if (refused || addresses.length === 0) throw privateAddressRefused(hostname, refused?.address);
  return url;
}

/** The one sentence for a webhook host on a private or loopback address. */
export function privateAddressRefused(hostname: string, address: string | undefined): UserInputError {
  const at = address === undefined || address === hostname ? '' : ` (${address})`;
  return new UserInputError(
    `The webhook host ${quoteInput(hostname)}${at} is a loopback or private address, which Lookout does not post to; give a public URL (an operator may allow private ones with LOOKOUT_WEBHOOK_ALLOW_PRIVATE=1).`,
  );
}

const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8, "this network"
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10, carrier-grade NAT
  [0x7f000000, 8], // 127/8, loopback
  [0xa9fe0000, 16], // 169.254/16, link-local and cloud metadata
  [0xac100000, 12], // 172.16/12
  [0xc0000000, 24], // 192.0.0/24, protocol assignments
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // 198.18/15, benchmarking
  [0xe0000000, 3], // 224/4 multicast and 240/4 reserved, broadcast
];

/** Whether an IP address is not a public unicast one: loopback, private, link-local, unspecified, IPv4-mapped private. */
export function isPrivateAddress(address: string): boolean {
  if (isIPv4(address)) return isPrivateV4(ipv4Number(address));
  if (!isIPv6(address)) return true;
  const groups = ipv6Groups(address.replace(/%.*$/, ''));
  if (groups.slice(0, 5).every((group) => group === 0)) {
    // ::, ::1, and the IPv4-mapped (::ffff:a.b.c.d) or compatible forms of an IPv4 address.
    if (groups[5] === 0xffff || groups[5] === 0) {
      const v4 = ((groups[6]! << 16) | groups[7]!) >>> 0;
      return groups[5] === 0 && v4 <= 1 ? true : isPrivateV4(v4);
    }
  }
  const first = groups[0]!;
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7, unique local
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10, link-local
  if ((first & 0xff00) === 0xff00) return true; // ff00::/8, multicast
  // Note: 64:ff9b::/96 (NAT64) carries an IPv4 address; judge that one.
  if (first === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) return isPrivateV4(((groups[6]! << 16) | groups[7]!) >>> 0);
  return false;
}

function isPrivateV4(value: number): boolean {
  return PRIVATE_V4.some(([base, bits]) => value >>> (32 - bits) === base >>> (32 - bits));
}

function ipv4Number(address: string): number {
  return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0) >>> 0;
}

/** The eight 16-bit groups of a valid IPv6 address, a trailing dotted IPv4 part included. */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4 = ipv4Number(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const before = parse(head);
  const after = tail === undefined ? [] : parse(tail);
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
}

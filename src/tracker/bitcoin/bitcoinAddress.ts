import { sha256 } from '@noble/hashes/sha256';
import { base58, base58check, bech32, bech32m } from '@scure/base';
import { UserInputError } from '../../errors/LookoutError.js';
import { quoteInput } from '../../text/clipText.js';

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;
const checked = base58check(sha256);

/** Whether text looks like a Bitcoin address at all (its prefix and alphabet), before any checksum is checked. */
export function looksLikeBitcoinAddress(text: string): boolean {
  const value = text.trim();
  if (/^(bc1|tb1|bcrt1)/i.test(value)) return true;
  // Note: a base58 Solana key can start with 1 or 3 too; it decodes to 32 bytes, a P2PKH/P2SH address to 25.
  return /^[123mn]/.test(value) && value.length >= 26 && value.length <= 35 && BASE58.test(value) && base58.decode(value).length === 25;
}

/**
 * A Bitcoin mainnet address as typed, checked and in the form Lookout stores: base58 P2PKH (1…) and P2SH (3…)
 * as they are, bech32 v0 (bc1q…) and bech32m v1+ (bc1p…) in lower case. Throws a UserInputError saying what is wrong.
 */
export function parseBitcoinAddress(input: string): string {
  const value = input.trim();
  if (/^(tb1|bcrt1)/i.test(value) || /^[mn2]/.test(value)) {
    throw new UserInputError(`'${quoteInput(value)}' is a Bitcoin testnet address; Lookout follows Bitcoin mainnet, so paste a 1…, 3… or bc1… address.`);
  }
  return /^bc1/i.test(value) ? parseSegwit(value) : parseBase58(value);
}

/** Whether text is a valid Bitcoin mainnet address, checksum included. */
export function isBitcoinAddress(text: string): boolean {
  try {
    parseBitcoinAddress(text);
    return true;
  } catch {
    return false;
  }
}

function parseBase58(value: string): string {
  if (!BASE58.test(value)) {
    throw new UserInputError(`'${quoteInput(value)}' is not a Bitcoin address: it has characters outside base58; copy it again.`);
  }
  let payload: Uint8Array;
  try {
    payload = checked.decode(value);
  } catch {
    throw new UserInputError('That Bitcoin address has a bad checksum; copy it again.');
  }
  if (payload.length !== 21 || (payload[0] !== 0x00 && payload[0] !== 0x05)) {
    throw new UserInputError(`'${quoteInput(value)}' is not a Bitcoin mainnet address: paste a 1…, 3… or bc1… address.`);
  }
  return value;
}

function parseSegwit(value: string): string {
  if (value !== value.toLowerCase() && value !== value.toUpperCase()) {
    throw new UserInputError(`'${quoteInput(value)}' mixes upper and lower case, which a bc1 address never does; copy it again.`);
  }
  const lower = value.toLowerCase();
  const asBech32 = bech32.decodeUnsafe(lower, 90);
  const asBech32m = bech32m.decodeUnsafe(lower, 90);
  const decoded = asBech32 ?? asBech32m;
  if (!decoded || decoded.prefix !== 'bc' || decoded.words.length === 0) {
    throw new UserInputError('That Bitcoin address has a bad checksum; copy it again.');
  }
  const version = decoded.words[0]!;
  // Note: BIP-350: version 0 programs use the bech32 checksum, versions 1 to 16 bech32m; the other one is refused.
  if ((version === 0 && !asBech32) || (version !== 0 && !asBech32m)) {
    throw new UserInputError('That Bitcoin address has a bad checksum (the wrong bech32 variant for its version); copy it again.');
  }
  let program: Uint8Array;
  try {
    program = bech32.fromWords(decoded.words.slice(1));
  } catch {
    throw new UserInputError(`'${quoteInput(value)}' is not a Bitcoin address: its witness program is malformed.`);
  }
  const valid = version === 0 ? program.length === 20 || program.length === 32 : version <= 16 && program.length >= 2 && program.length <= 40;
  if (!valid) {
    throw new UserInputError(`'${quoteInput(value)}' is not a Bitcoin address: a version ${version} witness program cannot be ${program.length} bytes.`);
  }
  return lower;
}

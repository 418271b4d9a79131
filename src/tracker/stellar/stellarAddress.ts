import { base32nopad } from '@scure/base';
import { UserInputError } from '../../errors/LookoutError.js';
import { quoteInput } from '../../text/clipText.js';

/** StrKey version byte of an ed25519 public key (G…). */
const ACCOUNT_VERSION = 6 << 3;

/** Whether text looks like a Stellar StrKey (G…, M…, S…) at all, before its checksum is checked. */
export function looksLikeStellarAccount(text: string): boolean {
  const value = text.trim();
  return /^[GS][A-Z2-7]{55}$/i.test(value) || /^M[A-Z2-7]{68}$/i.test(value);
}

/**
 * A Stellar account id (G…, 56 characters) as typed, checked (base32, version byte, CRC16-XModem checksum).
 * Muxed accounts (M…) are refused: their payments land on the G… account they wrap, which is what to follow.
 */
export function parseStellarAccount(input: string): string {
  const value = input.trim();
  if (/^S/i.test(value) && value.length === 56) {
    throw new UserInputError('That is a Stellar secret seed (S…), not an account: Lookout never needs a secret; paste the public G… account id and keep the seed private.');
  }
  if (/^M/i.test(value)) {
    throw new UserInputError('That is a muxed Stellar account (M…); track the G… account it belongs to instead.');
  }
  if (value !== value.toUpperCase()) {
    throw new UserInputError(`'${quoteInput(value)}' is not a Stellar account: account ids are upper case; copy it again.`);
  }
  if (!/^G[A-Z2-7]{55}$/.test(value)) {
    throw new UserInputError(`'${quoteInput(value)}' is not a Stellar account: an account id is G followed by 55 letters A-Z and digits 2-7.`);
  }
  const bytes = base32nopad.decode(value);
  const body = bytes.subarray(0, 33);
  const checksum = bytes[33]! | (bytes[34]! << 8);
  if (body[0] !== ACCOUNT_VERSION || crc16Xmodem(body) !== checksum) {
    throw new UserInputError('That Stellar account has a bad checksum; copy it again.');
  }
  return value;
}

/** Whether text is a valid Stellar account id, checksum included. */
export function isStellarAccount(text: string): boolean {
  try {
    parseStellarAccount(text);
    return true;
  } catch {
    return false;
  }
}

/** CRC16-XModem (polynomial 0x1021, initial 0), as StrKey checksums use. */
export function crc16Xmodem(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

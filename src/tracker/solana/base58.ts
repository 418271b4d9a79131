import { SolanaDecodeError } from './solanaDecodeError.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT_OF_CHAR_CODE = new Int8Array(128).fill(-1);
for (let digit = 0; digit < ALPHABET.length; digit++) DIGIT_OF_CHAR_CODE[ALPHABET.charCodeAt(digit)] = digit;
const ZERO_CHAR_CODE = 49; // '1', the digit that stands for one leading zero byte

/** Encodes bytes as base58 (Bitcoin alphabet), the text form of Solana keys and signatures. */
export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  // Big-endian base-58 digits, filled from the end; log(256)/log(58) < 1.38.
  const size = Math.ceil((bytes.length - zeros) * 1.38) + 1;
  const digits = new Uint8Array(size);
  let used = 0;
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i]!;
    let j = 0;
    for (let k = size - 1; (carry !== 0 || j < used) && k >= 0; k--, j++) {
      carry += 256 * digits[k]!;
      digits[k] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    used = j;
  }
  let text = '1'.repeat(zeros);
  for (let k = size - used; k < size; k++) text += ALPHABET[digits[k]!];
  return text;
}

/** Decodes base58 text into bytes; throws SolanaDecodeError on a character outside the alphabet. */
export function base58Decode(text: string): Uint8Array {
  let zeros = 0;
  while (zeros < text.length && text.charCodeAt(zeros) === ZERO_CHAR_CODE) zeros++;
  // Big-endian bytes, filled from the end; log(58)/log(256) < 0.733.
  const size = Math.ceil((text.length - zeros) * 0.733) + 1;
  const bytes = new Uint8Array(size);
  let used = 0;
  for (let i = zeros; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let carry = code < 128 ? DIGIT_OF_CHAR_CODE[code]! : -1;
    if (carry < 0) throw new SolanaDecodeError(`"${text[i]}" is not a base58 character`);
    let j = 0;
    for (let k = size - 1; (carry !== 0 || j < used) && k >= 0; k--, j++) {
      carry += 58 * bytes[k]!;
      bytes[k] = carry & 0xff;
      carry >>>= 8;
    }
    used = j;
  }
  const out = new Uint8Array(zeros + used);
  out.set(bytes.subarray(size - used), zeros);
  return out;
}

/** Whether text is a Solana address: base58 that decodes to exactly 32 bytes. */
export function isSolanaAddress(text: unknown): text is string {
  if (typeof text !== 'string' || text.length < 32 || text.length > 44) return false;
  try {
    return base58Decode(text).length === 32;
  } catch {
    return false;
  }
}

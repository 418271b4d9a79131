import { PublicKey } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';

import { base58Decode, base58Encode, isSolanaAddress } from './base58.js';
import { SolanaDecodeError } from './solanaDecodeError.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('base58', () => {
  it.each([
    ['', bytes()],
    ['1', bytes(0)],
    ['11', bytes(0, 0)],
    ['2', bytes(1)],
    ['z', bytes(57)],
    ['21', bytes(58)],
    ['5Q', bytes(255)],
    ['1LUv', bytes(0, 255, 255)],
    ['JxF12TrwUP45BMd', new TextEncoder().encode('Hello World')],
  ])('behavior: "%s" encodes and decodes its bytes', (text, value) => {
    expect(base58Encode(value)).toBe(text);
    expect(base58Decode(text)).toEqual(value);
  });

  it('behavior: agrees with PublicKey on addresses, leading zero bytes included', () => {
    for (let seed = 0; seed < 64; seed++) {
      const key = new Uint8Array(32).map((_, i) => (i < seed % 5 ? 0 : (seed * 31 + i * 17) % 256));
      const text = new PublicKey(key).toBase58();
      expect(base58Encode(key)).toBe(text);
      expect(base58Decode(text)).toEqual(key);
    }
  });

  it('behavior: round-trips a 64-byte signature', () => {
    const signature = new Uint8Array(64).map((_, i) => (i * 97 + 13) % 256);
    expect(base58Decode(base58Encode(signature))).toEqual(signature);
  });

  it.each(['0', 'O', 'I', 'l', '+', 'é'])('error: rejects "%s", outside the alphabet', (char) => {
    expect(() => base58Decode(`abc${char}`)).toThrow(SolanaDecodeError);
  });

  it.each([
    ['the system program', '11111111111111111111111111111111', true],
    ['a program id', 'JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4', true],
    ['a signature', '3DZuPoKRrxLrb1rqaccgdjuiWuxFFTARdfFocQ66WymR3Ss2vURTt7F4ZWwHpwTTrj9cbvV59xxwYRUngEiRAFNE', false],
    ['a damaged key', '!!!Removed some keys to trigger a panic!!!', false],
    ['a 44-character string over 32 bytes', 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', false],
    ['a number', 42, false],
  ])('behavior: isSolanaAddress of %s is %s', (_name, value, expected) => {
    expect(isSolanaAddress(value)).toBe(expected);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PublicKey } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';

import { SolanaDecodeError } from './solanaDecodeError.js';
import {
  METAPLEX_METADATA_PROGRAM_ID,
  metaplexMetadataAddress,
  parseMetaplexMetadata,
  parseToken2022Metadata,
} from './tokenMetadata.js';

const fixturesDir = fileURLToPath(new URL('../../../test/fixtures/solana/', import.meta.url));
/** Fixture file names are unique across the sources; find one by name. */
function fixturePath(name: string, dir = fixturesDir): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory() ? fixturePath(name, path) : entry.name === name ? path : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

const key = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const keyText = (n: number): string => new PublicKey(key(n)).toBase58();

const u8 = (value: number): Uint8Array => Uint8Array.of(value);
const u16 = (value: number): Uint8Array => Uint8Array.of(value & 0xff, value >> 8);
const u32 = (value: number): Uint8Array => {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return bytes;
};
/** A borsh string: u32 length, then UTF-8 bytes, NUL-padded to padTo bytes as Metaplex does. */
const borshString = (text: string, padTo = 0): Uint8Array => {
  const utf8 = new TextEncoder().encode(text);
  const body = new Uint8Array(Math.max(utf8.length, padTo));
  body.set(utf8);
  return concat(u32(body.length), body);
};
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((part) => [...part]));

/** Metaplex MetadataV1 account data, fixed-length strings and the fields after uri included. */
const metaplexAccount = (name: string, symbol: string, uri: string): Uint8Array =>
  concat(
    u8(4),
    key(1),
    key(2),
    borshString(name, 32),
    borshString(symbol, 10),
    borshString(uri, 200),
    u16(500), // seller fee basis points, and more fields the parser does not need
    u8(0),
    u8(1),
  );

/** A Token-2022 mint with the given TLV extensions after the padded base mint. */
const token2022Mint = (...extensions: [type: number, value: Uint8Array][]): Uint8Array =>
  concat(
    new Uint8Array(82).fill(9),
    new Uint8Array(165 - 82),
    u8(1),
    ...extensions.flatMap(([type, value]) => [u16(type), u16(value.length), value]),
  );

const tokenMetadataExtension = (updateAuthority: Uint8Array, pairs: [string, string][] = []): Uint8Array =>
  concat(
    updateAuthority,
    key(2),
    borshString('Lookout Coin'),
    borshString('LOOK'),
    borshString('https://example.org/look.json'),
    u32(pairs.length),
    ...pairs.flatMap(([k, v]) => [borshString(k), borshString(v)]),
  );

describe('parseMetaplexMetadata', () => {
  it('behavior: reads name, symbol and uri and strips the NUL padding', () => {
    expect(parseMetaplexMetadata(metaplexAccount('Lookout Coin', 'LOOK', 'https://example.org/look.json'))).toEqual({
      mint: keyText(2),
      updateAuthority: keyText(1),
      name: 'Lookout Coin',
      symbol: 'LOOK',
      uri: 'https://example.org/look.json',
      additionalMetadata: [],
    });
  });

  it('behavior: decodes UTF-8 names', () => {
    expect(parseMetaplexMetadata(metaplexAccount('Lookout 🔭 Coin', 'LOOK', '')).name).toBe('Lookout 🔭 Coin');
  });

  it('behavior: reads data that ends right after the uri', () => {
    const data = concat(u8(4), key(1), key(2), borshString('A'), borshString('B'), borshString('C'));
    expect(parseMetaplexMetadata(data)).toMatchObject({ name: 'A', symbol: 'B', uri: 'C' });
  });

  it('error: rejects an account that is not MetadataV1', () => {
    const data = metaplexAccount('Lookout Coin', 'LOOK', '');
    data[0] = 6;
    expect(() => parseMetaplexMetadata(data)).toThrow(new SolanaDecodeError('account is not Metaplex token metadata (key 6, want 4)'));
  });

  it('error: names the field that runs past the end of the data', () => {
    const uriStart = 1 + 32 + 32 + (4 + 32) + (4 + 10);
    const data = metaplexAccount('Lookout Coin', 'LOOK', 'https://example.org/look.json').subarray(0, uriStart + 4 + 10);
    expect(() => parseMetaplexMetadata(data)).toThrow(new SolanaDecodeError('Metaplex metadata ends before its uri'));
    expect(() => parseMetaplexMetadata(new Uint8Array())).toThrow(new SolanaDecodeError('Metaplex metadata ends before its key'));
  });
});

describe('parseToken2022Metadata', () => {
  it('behavior: reads the TokenMetadata extension after other extensions', () => {
    const metadataPointer = concat(key(3), key(4));
    const data = token2022Mint([18, metadataPointer], [19, tokenMetadataExtension(key(3), [['twitter', '@look']])]);
    expect(parseToken2022Metadata(data)).toEqual({
      mint: keyText(2),
      updateAuthority: keyText(3),
      name: 'Lookout Coin',
      symbol: 'LOOK',
      uri: 'https://example.org/look.json',
      additionalMetadata: [['twitter', '@look']],
    });
  });

  it('behavior: reads an all-zero update authority as none', () => {
    const data = token2022Mint([19, tokenMetadataExtension(new Uint8Array(32))]);
    expect(parseToken2022Metadata(data)?.updateAuthority).toBeNull();
  });

  it('behavior: returns null for a mint without extensions', () => {
    expect(parseToken2022Metadata(new Uint8Array(82))).toBeNull();
  });

  it('behavior: returns null for a mint whose extensions hold no metadata', () => {
    const data = concat(token2022Mint([18, concat(key(3), key(4))]), new Uint8Array(16));
    expect(parseToken2022Metadata(data)).toBeNull();
  });

  it('error: rejects a token account', () => {
    const data = token2022Mint([19, tokenMetadataExtension(key(3))]);
    data[165] = 2;
    expect(() => parseToken2022Metadata(data)).toThrow(new SolanaDecodeError('account is not a Token-2022 mint (account type 2)'));
  });

  it('error: rejects an extension longer than the data', () => {
    const data = token2022Mint([19, tokenMetadataExtension(key(3))]).subarray(0, 200);
    expect(() => parseToken2022Metadata(data)).toThrow(SolanaDecodeError);
  });

  it('error: rejects data between a base mint and the account type', () => {
    expect(() => parseToken2022Metadata(new Uint8Array(100))).toThrow(SolanaDecodeError);
  });

  it('error: names the field a truncated metadata extension lacks', () => {
    const value = tokenMetadataExtension(key(3)).subarray(0, 64 + 10);
    expect(() => parseToken2022Metadata(token2022Mint([19, value]))).toThrow(
      new SolanaDecodeError('Token-2022 metadata ends before its name'),
    );
  });
});

describe('metaplexMetadataAddress', () => {
  it('behavior: finds the metadata account a real Pump.fun token launch created', () => {
    const [result] = JSON.parse(readFileSync(fixturePath('pumpfun_create_0.json')!, 'utf8')) as [
      {
        transaction: { message: { accountKeys: string[] } };
        meta: { innerInstructions: { instructions: { programIdIndex: number; accounts: number[] }[] }[] };
      },
    ];
    const keys = result.transaction.message.accountKeys;
    // CreateMetadataAccountV3 takes the metadata account first and the mint second.
    const create = result.meta.innerInstructions
      .flatMap((group) => group.instructions)
      .find((instruction) => keys[instruction.programIdIndex] === METAPLEX_METADATA_PROGRAM_ID);
    const [metadata, mint] = create!.accounts.map((index) => keys[index]!);
    expect(metaplexMetadataAddress(mint!)).toBe(metadata);
  });

  it('error: rejects a mint that is not an address', () => {
    expect(() => metaplexMetadataAddress('not a mint')).toThrow(SolanaDecodeError);
  });
});

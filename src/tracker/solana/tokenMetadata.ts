import { PublicKey } from '@solana/web3.js';

import { base58Encode, isSolanaAddress } from './base58.js';
import { SolanaDecodeError } from './solanaDecodeError.js';

/** Program that owns Metaplex Token Metadata accounts. */
export const METAPLEX_METADATA_PROGRAM_ID = 'metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s';

/** A token's name, symbol and metadata URI, from Metaplex or the Token-2022 extension. */
export type TokenMetadata = {
  mint: string;
  /** Who may change the metadata; null when nobody can. */
  updateAuthority: string | null;
  name: string;
  symbol: string;
  uri: string;
  /** Token-2022 key/value pairs; always empty for Metaplex. */
  additionalMetadata: [key: string, value: string][];
};

const METAPLEX_KEY_METADATA_V1 = 4;
const MINT_BASE_LENGTH = 82;
// Token-2022 pads an extended mint to a token account's length so the two cannot be confused.
const ACCOUNT_TYPE_OFFSET = 165;
const ACCOUNT_TYPE_MINT = 1;
const EXTENSION_UNINITIALIZED = 0;
const EXTENSION_TOKEN_METADATA = 19;
const ALL_ZERO_KEY = '11111111111111111111111111111111';

/** Address of the Metaplex metadata account of a mint: the PDA ["metadata", program, mint]. */
export function metaplexMetadataAddress(mint: string): string {
  if (!isSolanaAddress(mint)) throw new SolanaDecodeError(`mint ${JSON.stringify(mint)} is not a base58 address`);
  const programId = new PublicKey(METAPLEX_METADATA_PROGRAM_ID);
  const [address] = PublicKey.findProgramAddressSync(
    [Buffer.from('metadata'), programId.toBuffer(), new PublicKey(mint).toBuffer()],
    programId,
  );
  return address.toBase58();
}

/** Parses name, symbol and uri out of a Metaplex Token Metadata account's data. */
export function parseMetaplexMetadata(data: Uint8Array): TokenMetadata {
  const read = borshReader(data, 'Metaplex metadata');
  const key = read.u8('key');
  if (key !== METAPLEX_KEY_METADATA_V1) {
    throw new SolanaDecodeError(
      `account is not Metaplex token metadata (key ${key}, want ${METAPLEX_KEY_METADATA_V1})`,
    );
  }
  const updateAuthority = read.key('update authority');
  const mint = read.key('mint');
  // Metaplex pads name, symbol and uri with NULs to fixed lengths inside the string.
  const trimmed = (text: string): string => text.replace(/\0+$/, '');
  return {
    mint,
    updateAuthority,
    name: trimmed(read.string('name')),
    symbol: trimmed(read.string('symbol')),
    uri: trimmed(read.string('uri')),
    additionalMetadata: [],
  };
}

/**
 * Parses the TokenMetadata extension out of a Token-2022 mint account's data; null when
 * the mint carries no such extension.
 */
export function parseToken2022Metadata(mintData: Uint8Array): TokenMetadata | null {
  if (mintData.length <= MINT_BASE_LENGTH) return null;
  if (mintData.length <= ACCOUNT_TYPE_OFFSET) {
    throw new SolanaDecodeError(`mint data of ${mintData.length} bytes is too short to hold extensions`);
  }
  const accountType = mintData[ACCOUNT_TYPE_OFFSET];
  if (accountType !== ACCOUNT_TYPE_MINT) {
    throw new SolanaDecodeError(`account is not a Token-2022 mint (account type ${accountType})`);
  }
  const view = new DataView(mintData.buffer, mintData.byteOffset, mintData.byteLength);
  let offset = ACCOUNT_TYPE_OFFSET + 1;
  while (offset + 4 <= mintData.length) {
    const type = view.getUint16(offset, true);
    const length = view.getUint16(offset + 2, true);
    // Space reserved for extensions not yet written is zero-filled.
    if (type === EXTENSION_UNINITIALIZED) return null;
    const start = offset + 4;
    if (start + length > mintData.length) {
      throw new SolanaDecodeError(`mint extension ${type} claims ${length} bytes past the end of the data`);
    }
    if (type === EXTENSION_TOKEN_METADATA) return parseTokenMetadataExtension(mintData.subarray(start, start + length));
    offset = start + length;
  }
  return null;
}

function parseTokenMetadataExtension(value: Uint8Array): TokenMetadata {
  const read = borshReader(value, 'Token-2022 metadata');
  // Token-2022 writes "no update authority" as 32 zero bytes.
  const updateAuthority = read.key('update authority');
  const mint = read.key('mint');
  const name = read.string('name');
  const symbol = read.string('symbol');
  const uri = read.string('uri');
  const pairs = read.u32('additional metadata count');
  const additionalMetadata: [string, string][] = [];
  for (let i = 0; i < pairs; i++) {
    const key = read.string(`additional metadata key ${i}`);
    additionalMetadata.push([key, read.string(`additional metadata value ${i}`)]);
  }
  return {
    mint,
    updateAuthority: updateAuthority === ALL_ZERO_KEY ? null : updateAuthority,
    name,
    symbol,
    uri,
    additionalMetadata,
  };
}

/** Sequential little-endian reader of borsh data that names the field it could not read. */
function borshReader(data: Uint8Array, what: string) {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const decoder = new TextDecoder();
  let offset = 0;
  const take = (length: number, field: string): Uint8Array => {
    if (offset + length > data.length) throw new SolanaDecodeError(`${what} ends before its ${field}`);
    const bytes = data.subarray(offset, offset + length);
    offset += length;
    return bytes;
  };
  const u32 = (field: string): number => {
    take(4, field);
    return view.getUint32(offset - 4, true);
  };
  return {
    u8: (field: string): number => take(1, field)[0]!,
    u32,
    key: (field: string): string => base58Encode(take(32, field)),
    string: (field: string): string => decoder.decode(take(u32(`${field} length`), field)),
  };
}

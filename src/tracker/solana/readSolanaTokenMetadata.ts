import type { AccountInfo } from '@solana/web3.js';
import type { MetadataReader } from '../createTokenRegistry.js';
import { isSolanaAddress } from './base58.js';
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_IDS, type SolanaRpc } from './createSolanaRpc.js';
import { SolanaDecodeError } from './solanaDecodeError.js';
import { METAPLEX_METADATA_PROGRAM_ID, metaplexMetadataAddress, parseMetaplexMetadata, parseToken2022Metadata, type TokenMetadata } from './tokenMetadata.js';

type ReadToken = Awaited<ReturnType<MetadataReader>>[number];

// A mint account: authority option 36 bytes, supply 8, then decimals and is_initialized.
const MINT_DECIMALS_OFFSET = 44;
const MINT_INITIALIZED_OFFSET = 45;
const MINT_BASE_LENGTH = 82;

/**
 * Symbol, name and decimals of Solana mints, for createTokenRegistry. Decimals come from
 * `knownDecimals` (the token balances of the transaction that moved the mint) or the mint
 * account; symbol and name from the Metaplex metadata account, else the Token-2022 metadata
 * extension of the mint. Mint and metadata accounts are read together, in batches.
 * Unknown values are null: the registry then shows the shortened mint.
 */
export async function readSolanaTokenMetadata(
  rpc: Pick<SolanaRpc, 'accounts'>,
  mints: readonly string[],
  knownDecimals: ReadonlyMap<string, number | null> = new Map(),
): Promise<ReadToken[]> {
  const valid = mints.filter((mint) => isSolanaAddress(mint));
  const accounts = await rpc.accounts(valid.flatMap((mint) => [mint, metaplexMetadataAddress(mint)]));
  const byMint = new Map(valid.map((mint, i) => [mint, { mint: accounts[2 * i] ?? null, metadata: accounts[2 * i + 1] ?? null }]));
  return mints.map((address) => {
    const found = byMint.get(address);
    const metadata = found ? metadataOf(found.mint, found.metadata) : null;
    return {
      address,
      symbol: nonEmpty(metadata?.symbol),
      name: nonEmpty(metadata?.name),
      decimals: knownDecimals.get(address) ?? (found ? mintDecimals(found.mint) : null),
    };
  });
}

function metadataOf(mint: AccountInfo<Buffer> | null, metadata: AccountInfo<Buffer> | null): TokenMetadata | null {
  try {
    if (metadata && metadata.owner.toBase58() === METAPLEX_METADATA_PROGRAM_ID) return parseMetaplexMetadata(metadata.data);
    if (mint && mint.owner.toBase58() === TOKEN_2022_PROGRAM_ID) return parseToken2022Metadata(mint.data);
  } catch (error) {
    // Note: metadata that does not parse only costs the token its name; amounts do not depend on it.
    if (!(error instanceof SolanaDecodeError)) throw error;
  }
  return null;
}

function mintDecimals(mint: AccountInfo<Buffer> | null): number | null {
  if (!mint || !(TOKEN_PROGRAM_IDS as readonly string[]).includes(mint.owner.toBase58())) return null;
  if (mint.data.length < MINT_BASE_LENGTH || mint.data[MINT_INITIALIZED_OFFSET] !== 1) return null;
  return mint.data[MINT_DECIMALS_OFFSET] ?? null;
}

function nonEmpty(text: string | undefined): string | null {
  const trimmed = text?.trim();
  return trimmed ? trimmed : null;
}

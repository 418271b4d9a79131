import type { ChainConfig } from '../config/chainPresets.js';
import type { Db } from '../db/openDatabase.js';
import { findTokens, saveTokens, type TokenRow } from '../db/tokenQueries.js';
import type { Logger } from '../logger.js';
import { shortAddress } from './walletAddress.js';
import { NATIVE } from './walletDeltas.js';

export type TokenInfo = Pick<
  TokenRow,
  'chain' | 'address' | 'symbol' | 'name' | 'decimals' | 'isNative' | 'isWrappedNative' | 'isStablecoin' | 'isSpam' | 'metadataFallback'
>;

/** What a chain can say about its tokens; null fields where it could not tell. */
export type MetadataReader = (
  addresses: string[],
) => Promise<{ address: string; symbol: string | null; name: string | null; decimals: number | null }[]>;

export type TokenRegistry = {
  /** Metadata for these assets, read once from the chain, then from Postgres and memory. */
  ensure(assets: string[]): Promise<Map<string, TokenInfo>>;
};

/** Decimals assumed for a token whose own `decimals()` fails: the ERC-20 and SPL defaults differ. */
const FALLBACK_DECIMALS = { evm: 18, solana: 0 } as const;

/** A cache of token metadata per chain, backed by the tokens table and read from the chain on a miss. */
export function createTokenRegistry(deps: { db: Db; chain: ChainConfig; logger: Logger; read: MetadataReader }): TokenRegistry {
  const { db, chain } = deps;
  const log = deps.logger.child({ component: 'tokens', chain: chain.name });
  const cache = new Map<string, TokenInfo>();
  let presetsSaved: Promise<void> | undefined;

  const savePresets = () =>
    (presetsSaved ??= saveTokens(
      db,
      [
        { chain: chain.name, address: NATIVE, symbol: chain.nativeSymbol, name: chain.nativeSymbol, decimals: chain.nativeDecimals, isNative: true },
        ...(chain.wrappedNative
          ? [{ chain: chain.name, address: chain.wrappedNative, decimals: chain.nativeDecimals, isWrappedNative: true }]
          : []),
      ],
      true,
    ));

  return {
    async ensure(assets) {
      await savePresets();
      const wanted = [...new Set(assets)];
      const missing = wanted.filter((asset) => !cache.has(asset));
      if (missing.length > 0) {
        for (const row of await findTokens(db, chain.name, missing)) cache.set(row.address, withFlags(row));
        const unread = missing.filter((asset) => !cache.has(asset));
        if (unread.length > 0) {
          const read = await deps.read(unread);
          const rows = read.map((token) => {
            const fallback = token.decimals === null;
            if (fallback) {
              log.warn({ token: token.address, decimals: FALLBACK_DECIMALS[chain.kind] }, 'token decimals unreadable; using a fallback');
            }
            return {
              chain: chain.name,
              address: token.address,
              symbol: token.symbol,
              name: token.name,
              decimals: token.decimals ?? FALLBACK_DECIMALS[chain.kind],
              isStablecoin: chain.stablecoins.includes(token.address),
              isWrappedNative: token.address === chain.wrappedNative,
              metadataFallback: fallback || token.symbol === null,
            };
          });
          await saveTokens(db, rows);
          for (const row of await findTokens(db, chain.name, unread)) cache.set(row.address, withFlags(row));
        }
      }
      return new Map(wanted.map((asset) => [asset, cache.get(asset)!]));
    },
  };

  function withFlags(row: TokenRow): TokenInfo {
    return {
      ...row,
      isStablecoin: row.isStablecoin || chain.stablecoins.includes(row.address),
      isWrappedNative: row.isWrappedNative || row.address === chain.wrappedNative,
    };
  }
}

/** How a token is named for people: its symbol, or its shortened address when it has none. */
export function tokenLabel(token: Pick<TokenInfo, 'symbol' | 'address'> | undefined, asset: string): string {
  return token?.symbol ?? shortAddress(asset);
}

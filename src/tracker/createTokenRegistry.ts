import type { ChainConfig } from '../config/chainPresets.js';
import type { TokenRow } from '../db/tokenQueries.js';
import type { TokenStore } from './ChainStore.js';
import type { Logger } from '../logger.js';
import { shortAddress } from './walletAddress.js';
import { NATIVE } from './walletDeltas.js';

export type TokenInfo = Pick<
  TokenRow,
  | 'chain'
  | 'address'
  | 'symbol'
  | 'name'
  | 'decimals'
  | 'isNative'
  | 'isWrappedNative'
  | 'isStablecoin'
  | 'isSpam'
  | 'metadataFallback'
  | 'decimalsKnown'
  | 'metadataCheckedAt'
>;

/**
 * What a chain can say about its tokens; a null field means the token answered that it has none.
 * A reader throws (never returns nulls) when the chain could not be asked: a fault must not pass for an answer.
 */
export type MetadataReader = (
  addresses: string[],
) => Promise<{ address: string; symbol: string | null; name: string | null; decimals: number | null }[]>;

export type TokenRegistry = {
  /** Metadata for these assets, read once from the chain, then from Postgres and memory; incomplete ones are read again. */
  ensure(assets: string[]): Promise<Map<string, TokenInfo>>;
};

/** A placeholder for the decimals column of a token without `decimals()`; `decimalsKnown` false says not to trust it. */
const PLACEHOLDER_DECIMALS = { evm: 18, solana: 0, bitcoin: 8, stellar: 7 } as const;

/** How long a token that lacked its symbol or decimals keeps that answer before the chain is asked again. */
const RECHECK_MS = 6 * 3_600_000;

/** A cache of token metadata per chain, backed by the tokens table and read from the chain on a miss. */
export function createTokenRegistry(deps: {
  /** Where token rows are kept (the tokens table). */
  store: TokenStore;
  chain: ChainConfig;
  logger: Logger;
  read: MetadataReader;
  /** How long an incomplete answer is kept before reading the token again (default six hours). */
  recheckMs?: number;
  now?: () => Date;
}): TokenRegistry {
  const { store, chain } = deps;
  const log = deps.logger.child({ component: 'tokens', chain: chain.name });
  const recheckMs = deps.recheckMs ?? RECHECK_MS;
  const now = deps.now ?? (() => new Date());
  const cache = new Map<string, TokenInfo>();
  let presetsSaved: Promise<void> | undefined;

  const savePresets = () =>
    (presetsSaved ??= store.save(
      [
        { chain: chain.name, address: NATIVE, symbol: chain.nativeSymbol, name: chain.nativeSymbol, decimals: chain.nativeDecimals, isNative: true },
        ...(chain.wrappedNative
          ? [{ chain: chain.name, address: chain.wrappedNative, decimals: chain.nativeDecimals, isWrappedNative: true }]
          : []),
      ],
      true,
    ));

  // Note: a row never read from the chain (the wrapped-native preset, rows stored before reads were timed) has no
  // `metadataCheckedAt`, so it is read on first use; an incomplete answer is asked again after `recheckMs`.
  const stale = (token: TokenInfo | undefined) =>
    token === undefined ||
    (!token.isNative &&
      (token.metadataCheckedAt === null ||
        (token.metadataFallback && now().getTime() - token.metadataCheckedAt.getTime() >= recheckMs)));

  return {
    async ensure(assets) {
      await savePresets();
      const wanted = [...new Set(assets)];
      const missing = wanted.filter((asset) => !cache.has(asset));
      for (const row of await store.find(chain.name, missing)) cache.set(row.address, withFlags(row));
      const unread = wanted.filter((asset) => stale(cache.get(asset)));
      if (unread.length > 0) {
        const checkedAt = now();
        const read = await deps.read(unread);
        const rows = read.map((read) => {
          const token = read.address === chain.wrappedNative ? wrappedNativeDefaults(read) : read;
          if (token.decimals === null) {
            log.warn({ token: token.address }, 'token has no readable decimals(); its amounts are shown raw until it is read again');
          }
          return {
            chain: chain.name,
            address: token.address,
            symbol: token.symbol,
            name: token.name,
            decimals: token.decimals ?? PLACEHOLDER_DECIMALS[chain.kind],
            decimalsKnown: token.decimals !== null,
            isStablecoin: chain.stablecoins.includes(token.address),
            isWrappedNative: token.address === chain.wrappedNative,
            metadataFallback: token.decimals === null || token.symbol === null,
            metadataCheckedAt: checkedAt,
          };
        });
        await store.saveRead(rows);
        for (const row of await store.find(chain.name, unread)) cache.set(row.address, withFlags(row));
      }
      return new Map(wanted.map((asset) => [asset, cache.get(asset)!]));
    },
  };

  /** The wrapped native is the native coin in a wrapper: what its contract leaves unsaid is known from the chain. */
  function wrappedNativeDefaults<T extends { symbol: string | null; name: string | null; decimals: number | null }>(token: T): T {
    return {
      ...token,
      symbol: token.symbol ?? `W${chain.nativeSymbol}`,
      name: token.name ?? `Wrapped ${chain.nativeSymbol}`,
      decimals: token.decimals ?? chain.nativeDecimals,
    };
  }

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

import type { ChainConfig } from '../../config/chainPresets.js';
import type { PriceSourceName } from '../../config/priceSourcesConfig.js';

/** A USD price as a source gives it: exact decimal text, and when it was true. */
export type SourcePrice = { priceUsd: string; observedAt: Date };

/**
 * A price source outside the chain (DefiLlama, CoinGecko, DexScreener). Assets are `native` or a token
 * address (lower-case on EVM) or mint; the wrapped native is asked as `native`. An asset the source does not
 * know is absent from the answer. A source that is down, busy or rate-limited throws `RetryableError`; one
 * that refuses the request (a bad key) throws a `LookoutError` with action `stop`.
 */
export interface PriceSource {
  readonly name: Exclude<PriceSourceName, 'chainlink' | 'pyth'>;
  /**
   * Prices at a past moment, each true within `maxGapMs` of it (an answer further away is left out, never
   * used at the wrong time). Absent on a source that only knows "now".
   */
  pricesAt?(chain: ChainConfig, assets: readonly string[], at: Date): Promise<Map<string, SourcePrice>>;
  /** Current prices, in as few requests as the API allows. */
  currentPrices(chain: ChainConfig, assets: readonly string[]): Promise<Map<string, SourcePrice>>;
}

/** How far from the asked moment a historical price may be and still price it: 2 hours by default. */
export const DEFAULT_MAX_HISTORY_GAP_MS = 2 * 60 * 60 * 1000;

/** CoinGecko's id of each preset chain's native coin (DefiLlama takes them as `coingecko:<id>`). */
const NATIVE_COIN_IDS: Record<string, string> = {
  ethereum: 'ethereum',
  base: 'ethereum',
  sonic: 'sonic-3',
  solana: 'solana',
  bitcoin: 'bitcoin',
  stellar: 'stellar',
};

/**
 * The CoinGecko id of a chain's native coin: a preset's, else `ethereum` for a custom chain whose native
 * coin is ETH (the L2s); null otherwise (its wrapped form, if any, is then asked by address).
 */
export function nativeCoinId(chain: Pick<ChainConfig, 'name' | 'nativeSymbol'>): string | null {
  return NATIVE_COIN_IDS[chain.name] ?? (chain.nativeSymbol.toUpperCase() === 'ETH' ? 'ethereum' : null);
}

import type { ChainConfig } from '../../config/chainPresets.js';

/**
 * The first configured chain whose native coin an exchange asset is (BTC on `bitcoin`, XLM on `stellar`, SOL on
 * `solana`), so that a coin held on an exchange is priced as the same coin on chain; null when no chain has it.
 */
export function nativeChainOf(chains: readonly Pick<ChainConfig, 'name' | 'nativeSymbol'>[], asset: string): string | null {
  const symbol = asset.toUpperCase();
  return chains.find((chain) => chain.nativeSymbol.toUpperCase() === symbol)?.name ?? null;
}

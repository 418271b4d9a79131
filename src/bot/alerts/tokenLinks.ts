import type { ChainConfig } from '../../config/chainPresets.js';
import { NATIVE } from '../../tracker/walletDeltas.js';

/** A chart page of a token: the site's name and the link. */
export type ChartLink = { name: string; url: string };

// Note: DexScreener names chains by its own slugs; a chain is known by its id, so a custom chain named
// `base` that is really a local node (another chain id) gets no chart link that would show another token.
const DEXSCREENER_SLUGS: Readonly<Record<number, string>> = {
  1: 'ethereum',
  10: 'optimism',
  56: 'bsc',
  137: 'polygon',
  146: 'sonic',
  250: 'fantom',
  324: 'zksync',
  5000: 'mantle',
  8453: 'base',
  42161: 'arbitrum',
  43114: 'avalanche',
  59144: 'linea',
  81457: 'blast',
  534352: 'scroll',
};

/** Where people look at a token's chart: DexScreener on EVM chains it knows, Birdeye on Solana; null for a native coin or an unknown chain. */
export function chartLink(chain: Pick<ChainConfig, 'kind' | 'chainId'>, asset: string): ChartLink | null {
  if (asset === NATIVE) return null;
  if (chain.kind === 'solana') return { name: 'Birdeye', url: `https://birdeye.so/token/${asset}?chain=solana` };
  const slug = chain.chainId === null ? undefined : DEXSCREENER_SLUGS[chain.chainId];
  return slug ? { name: 'DexScreener', url: `https://dexscreener.com/${slug}/${asset}` } : null;
}

/** The token's page on the chain's explorer; null for a native coin, which has no contract. */
export function tokenExplorerUrl(chain: Pick<ChainConfig, 'explorer'>, asset: string): string | null {
  if (asset === NATIVE) return null;
  return `${chain.explorer.replace(/\/+$/, '')}/token/${asset}`;
}

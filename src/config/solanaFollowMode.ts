import { ConfigError } from '../errors/LookoutError.js';

/** How Lookout follows Solana: chosen by the wallet count (auto), or forced to per-address polling or block reading. */
export type SolanaFollowMode = 'auto' | 'addresses' | 'blocks';

export const SOLANA_FOLLOW_MODES: readonly SolanaFollowMode[] = ['auto', 'addresses', 'blocks'];

/** Reads a follow mode from `SOLANA_FOLLOW_MODE` or the configuration file; throws a ConfigError naming the choices. */
export function parseSolanaFollowMode(text: string, source: string): SolanaFollowMode {
  const mode = text.trim().toLowerCase();
  if ((SOLANA_FOLLOW_MODES as readonly string[]).includes(mode)) return mode as SolanaFollowMode;
  throw new ConfigError(`${source} must be one of ${SOLANA_FOLLOW_MODES.join(', ')}; '${text}' is not one.`);
}

/**
 * Applies `SOLANA_FOLLOW_MODE` to the Solana chains, over a `followMode` from the configuration file, and refuses a
 * followMode on a chain that is not Solana.
 */
export function applySolanaFollowMode(
  chains: ({ name: string; kind: 'solana'; followMode?: SolanaFollowMode | undefined } | { name: string; kind: 'evm' | 'bitcoin' | 'stellar'; followMode?: unknown })[],
  env: Record<string, string | undefined>,
): void {
  for (const chain of chains) {
    if (chain.followMode !== undefined && chain.kind !== 'solana') {
      throw new ConfigError(`followMode applies to Solana chains only; remove it from chain '${chain.name}'.`);
    }
  }
  const text = env['SOLANA_FOLLOW_MODE']?.trim();
  if (text === undefined || text === '') return;
  const mode = parseSolanaFollowMode(text, 'SOLANA_FOLLOW_MODE');
  for (const chain of chains) if (chain.kind === 'solana') chain.followMode = mode;
}

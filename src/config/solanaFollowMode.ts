import { ConfigError } from '../errors/LookoutError.js';

/**
 * How Lookout follows Solana: chosen by the wallet count (auto), forced to per-address polling or block reading, or
 * a Yellowstone (Geyser) gRPC stream (the default when `SOLANA_GRPC_URL` is set).
 */
export type SolanaFollowMode = 'auto' | 'addresses' | 'blocks' | 'grpc';

export const SOLANA_FOLLOW_MODES: readonly SolanaFollowMode[] = ['auto', 'addresses', 'blocks', 'grpc'];

/** The commitment Solana is read at: `confirmed` (default), or `processed` with a rollback of slots that do not confirm. */
export type SolanaCommitment = 'processed' | 'confirmed';

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

type StreamedChain = {
  name: string;
  kind: string;
  followMode?: unknown;
  grpcUrl?: string | null | undefined;
  grpcToken?: string | null | undefined;
  commitment?: SolanaCommitment | undefined;
};

/**
 * Applies `SOLANA_GRPC_URL` and `SOLANA_GRPC_TOKEN` to the chain named solana, and `SOLANA_COMMITMENT` to every Solana
 * chain; refuses the grpc follow mode without a stream, and processed commitment outside it (getBlock serves
 * confirmed blocks only).
 */
export function applySolanaStream(chains: StreamedChain[], env: Record<string, string | undefined>): void {
  const url = env['SOLANA_GRPC_URL']?.trim();
  const token = env['SOLANA_GRPC_TOKEN']?.trim();
  const solana = chains.find((chain) => chain.name === 'solana' && chain.kind === 'solana');
  if (url !== undefined && url !== '') {
    if (!/^https?:\/\/[^\s/]+/.test(url)) throw new ConfigError('SOLANA_GRPC_URL must be an http:// or https:// URL of a Yellowstone gRPC endpoint.');
    if (solana) {
      solana.grpcUrl = url;
      solana.grpcToken = token === undefined || token === '' ? null : token;
    }
  }
  const commitmentText = env['SOLANA_COMMITMENT']?.trim().toLowerCase();
  if (commitmentText !== undefined && commitmentText !== '') {
    if (commitmentText !== 'processed' && commitmentText !== 'confirmed') {
      throw new ConfigError(`SOLANA_COMMITMENT must be confirmed or processed; '${env['SOLANA_COMMITMENT']}' is not one.`);
    }
    for (const chain of chains) if (chain.kind === 'solana') chain.commitment = commitmentText;
  }
  for (const chain of chains) {
    if (chain.kind !== 'solana') continue;
    const streamed = typeof chain.grpcUrl === 'string' && (chain.followMode === undefined || chain.followMode === 'auto' || chain.followMode === 'grpc');
    if (chain.followMode === 'grpc' && !streamed) {
      throw new ConfigError(`Solana chain '${chain.name}' follows by grpc but has no stream; set SOLANA_GRPC_URL or choose another SOLANA_FOLLOW_MODE.`);
    }
    if (chain.commitment === 'processed' && !streamed) {
      throw new ConfigError(
        `SOLANA_COMMITMENT=processed needs the gRPC stream (SOLANA_GRPC_URL) on chain '${chain.name}': Solana's getBlock serves confirmed blocks only.`,
      );
    }
  }
}

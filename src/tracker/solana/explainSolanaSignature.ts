import type { SolanaChainConfig } from '../../config/chainPresets.js';
import { RetryableError, UserInputError } from '../../errors/LookoutError.js';
import { createLogger } from '../../logger.js';
import type { ExplainOutcome } from '../ChainDriver.js';
import { createJsonRpcClient } from '../evm/createJsonRpcClient.js';
import { explainSolanaTransaction, tokenAssets } from '../explainTransaction.js';
import { base58Decode } from './base58.js';
import { createSolanaConnection, createSolanaRpc } from './createSolanaRpc.js';
import { readSolanaTokenMetadata } from './readSolanaTokenMetadata.js';

/** Fetches a Solana transaction by signature and explains it for the wallets (default: its fee payer), with its tokens' names. */
export async function explainSolanaSignature(chain: SolanaChainConfig, signature: string, wallets: string[]): Promise<ExplainOutcome> {
  // Note: a node answers a signature of the wrong size with a bare "Invalid param: WrongSize".
  const size = base58Decode(signature).length;
  if (size !== 64) {
    throw new UserInputError(`'${signature}' is not a Solana signature: it decodes to ${size} bytes where a signature has 64; check that it was copied whole.`);
  }
  // Note: an unreachable RPC is said in one sentence by the caller, not in log lines.
  const rpc = createJsonRpcClient({ urls: chain.rpcUrls, logger: createLogger({ level: 'error' }), maxRounds: 2 });
  let result: unknown;
  try {
    result = await rpc.request<unknown>('getTransaction', [signature, { encoding: 'json', maxSupportedTransactionVersion: 0, commitment: 'confirmed' }]);
  } catch (error) {
    if (error instanceof RetryableError) return { kind: 'unreachable' };
    throw error;
  }
  if (result === null) throw new UserInputError(`${chain.name} does not know the signature ${signature}; check it, or wait for confirmation.`);
  const entries = explainSolanaTransaction(chain, result, wallets);
  const mints = tokenAssets(entries);
  if (mints.length === 0) return { kind: 'found', explained: { entries, tokens: new Map() } };
  const solana = createSolanaRpc(createSolanaConnection(chain), { attempts: 2 });
  const read = await readSolanaTokenMetadata(solana, mints, tokenBalanceDecimals(result)).catch(() =>
    mints.map((address) => ({ address, symbol: null, decimals: tokenBalanceDecimals(result).get(address) ?? null })),
  );
  const tokens = new Map<string, { symbol: string | null; decimals: number | null }>(read.map((token) => [token.address, token]));
  // The wrapped native has no metadata account on every cluster; what it is is known from the chain's config.
  if (chain.wrappedNative && tokens.has(chain.wrappedNative)) {
    const wrapped = tokens.get(chain.wrappedNative)!;
    tokens.set(chain.wrappedNative, { symbol: wrapped.symbol ?? `W${chain.nativeSymbol}`, decimals: wrapped.decimals ?? chain.nativeDecimals });
  }
  return { kind: 'found', explained: { entries, tokens } };
}

/** Decimals of each mint as the transaction's own token balances state them. */
function tokenBalanceDecimals(result: unknown): Map<string, number> {
  const meta = (result as { meta?: { preTokenBalances?: unknown; postTokenBalances?: unknown } } | null)?.meta;
  const balances = [meta?.preTokenBalances, meta?.postTokenBalances].flatMap((list) => (Array.isArray(list) ? list : []));
  const decimals = new Map<string, number>();
  for (const balance of balances as { mint?: unknown; uiTokenAmount?: { decimals?: unknown } }[]) {
    if (typeof balance.mint === 'string' && typeof balance.uiTokenAmount?.decimals === 'number') {
      decimals.set(balance.mint, balance.uiTokenAmount.decimals);
    }
  }
  return decimals;
}

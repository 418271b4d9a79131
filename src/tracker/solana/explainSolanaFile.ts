import type { ChainConfig, SolanaChainConfig } from '../../config/chainPresets.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { explainSolanaTransaction, type Explanation } from '../explainTransaction.js';
import { parseSolanaAddress } from '../walletAddress.js';
import { readSolanaTransactions } from './readSolanaTransactionFile.js';

/** Explains the Solana transactions of a saved JSON file (any encoding, one or a list), on the given or the configured cluster. */
export function explainSolanaFile(json: unknown, options: { chain: SolanaChainConfig | undefined; chains: readonly ChainConfig[]; wallets: string[] }): Explanation[] {
  const chain = options.chain ?? options.chains.find((candidate): candidate is SolanaChainConfig => candidate.kind === 'solana');
  if (!chain) throw new UserInputError('the file holds a Solana transaction, but no Solana chain is configured.');
  const results = readSolanaTransactions(json);
  if (results.length === 0) throw new UserInputError('the file holds no Solana transaction.');
  return results.flatMap((result) => explainSolanaTransaction(chain, result, options.wallets.map(parseSolanaAddress)));
}

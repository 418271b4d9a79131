import type { ChainConfig, EvmChainConfig } from '../../config/chainPresets.js';
import { explainEvmTransaction, type Explanation } from '../explainTransaction.js';
import { parseEvmAddress } from '../walletAddress.js';
import { readEvmTransactionFile } from './readEvmTransactionFile.js';

/** Whether a saved JSON file holds an EVM transaction (a raw body or a receipt), not a Solana one. */
export function isEvmTransactionFile(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const solanaWrapper =
    'signature' in json || ('raw' in json && typeof (json as { raw: unknown }).raw === 'object' && 'meta' in ((json as { raw: object }).raw ?? {}));
  return ('raw' in json || 'receipt' in json) && !solanaWrapper;
}

/** Explains a saved EVM transaction, on the given chain or the configured one with its chain id. */
export function explainEvmFile(json: unknown, options: { chain: EvmChainConfig | undefined; chains: readonly ChainConfig[]; wallets: string[] }): Explanation[] {
  const saved = readEvmTransactionFile(json);
  const chain = options.chain ?? options.chains.find((candidate) => candidate.chainId === saved.chainId) ?? {
    name: `evm-${saved.chainId}`,
    stablecoins: [],
    wrappedNative: null,
  };
  return explainEvmTransaction(chain, saved, options.wallets.map(parseEvmAddress));
}

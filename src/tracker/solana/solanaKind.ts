import type { SolanaChainConfig } from '../../config/chainPresets.js';
import type { ChainKind } from '../ChainKind.js';
import { parseSolanaAddress } from '../walletAddress.js';
import { isSolanaAddress } from './base58.js';

/** Solana clusters: signatures per followed address and token account (woken by logsSubscribe), or every block past a crossover. */
export const solanaKind: ChainKind<SolanaChainConfig> = {
  kind: 'solana',
  label: 'Solana',
  async createDriver(chain, deps) {
    const { createSolanaDriver } = await import('./createSolanaDriver.js');
    return createSolanaDriver({
      chain,
      store: deps.store,
      logger: deps.logger,
      prices: deps.prices,
      walletsChanged: deps.walletsChanged,
      onRpcRequest: deps.onRpcRequest,
      // Note: with a WebSocket, notifications wake the follower and polling is only the safety net.
      pollMs: deps.pollMs ?? (chain.wsUrl ? 15_000 : Math.max(2_000, chain.blockTimeMs * 5)),
    });
  },
  isAddress: (text) => isSolanaAddress(text),
  addressHint: 'a base58 Solana address',
  parseWallet: (text) => parseSolanaAddress(text),
  transactionIdName: 'signature',
  isTransactionId: (text) => /^[1-9A-HJ-NP-Za-km-z]{64,90}$/.test(text),
  isTransactionFile: (json) => typeof json === 'object' && json !== null,
  async explainFile(json, options) {
    return (await import('./explainSolanaFile.js')).explainSolanaFile(json, options);
  },
  canBackfill: true,
  probeMethod: 'getSlot',
};

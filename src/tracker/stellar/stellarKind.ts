import type { StellarChainConfig } from '../../config/chainPresets.js';
import { UserInputError } from '../../errors/LookoutError.js';
import type { ChainKind } from '../ChainKind.js';
import { isStellarAccount, parseStellarAccount } from './stellarAddress.js';

/** Stellar's public network, read-only through Horizon: each followed account's payments, path payments and DEX trades. */
export const stellarKind: ChainKind<StellarChainConfig> = {
  kind: 'stellar',
  label: 'Stellar',
  async createDriver(chain, deps) {
    const { createStellarDriver } = await import('./createStellarDriver.js');
    return createStellarDriver({ chain, store: deps.store, logger: deps.logger, prices: deps.prices, walletsChanged: deps.walletsChanged, onRpcRequest: deps.onRpcRequest, pollMs: deps.pollMs });
  },
  isAddress: (text) => isStellarAccount(text),
  addressHint: 'a Stellar account id (G… and 55 more characters)',
  parseWallet: (text) => parseStellarAccount(text),
  transactionIdName: 'transaction hash',
  // Note: a Stellar hash is 64 hex digits like a Bitcoin txid; `lookout explain` tells them apart with --chain stellar.
  isTransactionId: (text) => /^[0-9a-fA-F]{64}$/.test(text),
  isTransactionFile: () => false,
  explainFile() {
    return Promise.reject(new UserInputError('Lookout explains Stellar transactions by hash, not from a file: lookout explain <hash> --chain stellar.'));
  },
  canBackfill: false,
  probeMethod: 'GET /',
};

import type { BitcoinChainConfig } from '../../config/chainPresets.js';
import { UserInputError } from '../../errors/LookoutError.js';
import type { ChainKind } from '../ChainKind.js';
import { isBitcoinAddress, parseBitcoinAddress } from './bitcoinAddress.js';

/** Bitcoin mainnet, read-only through an Esplora API: block by block, with reorgs undone. */
export const bitcoinKind: ChainKind<BitcoinChainConfig> = {
  kind: 'bitcoin',
  label: 'Bitcoin',
  async createDriver(chain, deps) {
    const { createBitcoinDriver } = await import('./createBitcoinDriver.js');
    return createBitcoinDriver({ chain, store: deps.store, logger: deps.logger, prices: deps.prices, walletsChanged: deps.walletsChanged, onRpcRequest: deps.onRpcRequest, pollMs: deps.pollMs });
  },
  isAddress: (text) => isBitcoinAddress(text),
  addressHint: 'a Bitcoin address (1…, 3… or bc1…)',
  parseWallet: (text) => parseBitcoinAddress(text),
  transactionIdName: 'txid',
  isTransactionId: (text) => /^[0-9a-fA-F]{64}$/.test(text),
  // Note: saved Bitcoin transactions are not read offline; `lookout explain <txid>` asks the Esplora API.
  isTransactionFile: () => false,
  explainFile() {
    return Promise.reject(new UserInputError('Lookout explains Bitcoin transactions by txid, not from a file: lookout explain <txid> --chain bitcoin.'));
  },
  canBackfill: true,
  probeMethod: 'GET /blocks/tip/height',
};

import type { EvmChainConfig } from '../../config/chainPresets.js';
import type { ChainKind } from '../ChainKind.js';
import { parseEvmAddress } from '../walletAddress.js';
import { isEvmAddress } from '../evmChecksum.js';
import { isEvmTransactionFile } from './explainEvmFile.js';

/** EVM chains: block ranges over JSON-RPC, reorgs undone from kept block hashes. */
export const evmKind: ChainKind<EvmChainConfig> = {
  kind: 'evm',
  label: 'EVM',
  async createDriver(chain, deps) {
    const { createEvmDriver } = await import('./createEvmDriver.js');
    return createEvmDriver({ chain, store: deps.store, logger: deps.logger, prices: deps.prices, walletsChanged: deps.walletsChanged, onRpcRequest: deps.onRpcRequest });
  },
  isAddress: (text) => isEvmAddress(text),
  addressHint: 'a 0x address of 40 hex digits (with a valid checksum if mixed-case)',
  parseWallet: (text) => parseEvmAddress(text),
  transactionIdName: 'hash',
  isTransactionId: (text) => /^0x[0-9a-fA-F]{64}$/.test(text),
  isTransactionFile: (json) => isEvmTransactionFile(json),
  async explainFile(json, options) {
    return (await import('./explainEvmFile.js')).explainEvmFile(json, options);
  },
  canBackfill: true,
  probeMethod: 'eth_chainId',
};

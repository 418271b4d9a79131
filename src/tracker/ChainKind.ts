import type { ChainConfig } from '../config/chainPresets.js';
import type { Logger } from '../logger.js';
import type { ChainDriver } from './ChainDriver.js';
import type { ChainStore } from './ChainStore.js';
import type { Explanation } from './explainTransaction.js';
import type { PriceService } from './prices/createPriceService.js';
import type { OnRpcRequest } from './rpcMetrics.js';

/** What every driver is built from. */
export type DriverDeps = {
  store: ChainStore;
  logger: Logger;
  prices?: PriceService | undefined;
  /** Subscribes to changes of the followed wallets of the chain; returns how to unsubscribe. */
  walletsChanged?: (listener: () => void) => () => void;
  /** Polling interval of chains that poll addresses (Solana), when the default does not suit. */
  pollMs?: number;
  /** Told of every RPC request the driver's client sends (lookout_rpc_requests_total and its duration). */
  onRpcRequest?: OnRpcRequest | undefined;
};

/**
 * One kind of chain: how to build its driver, and how its addresses and transaction ids look. Note: the driver's
 * module (and its chain library) is loaded only when a driver is built, so a command that only asks the kind list stays light.
 */
export type ChainKind<C extends ChainConfig = ChainConfig> = {
  kind: C['kind'];
  /** How people call it: EVM, Solana. */
  label: string;
  createDriver(chain: C, deps: DriverDeps): Promise<ChainDriver>;
  /** Whether text is an address of this kind of chain (checksums included). */
  isAddress(text: string): boolean;
  /** What an address looks like, for error messages. */
  addressHint: string;
  /** A wallet address as typed, checked and in the form Lookout stores; throws a UserInputError that says what is wrong. */
  parseWallet(text: string): string;
  /** Whether text has the form of a transaction id of this kind of chain. */
  isTransactionId(text: string): boolean;
  /** What a transaction id is called on this kind of chain: hash, signature. */
  transactionIdName: string;
  /**
   * Whether a saved JSON file holds a transaction of this kind. Note: kinds are asked in the order of CHAIN_KINDS
   * and Solana, which reads many encodings, takes any file no kind before it claimed.
   */
  isTransactionFile(json: unknown): boolean;
  /** Explains the transactions of a saved file for some wallets (default: the sender or fee payer), offline. */
  explainFile(json: unknown, options: { chain: C | undefined; chains: readonly ChainConfig[]; wallets: string[] }): Promise<Explanation[]>;
  /** Whether its driver reads a wallet's history (`backfill`); checked without loading the driver. */
  canBackfill: boolean;
  /** How Lookout's RPC probe asks a node whether it answers. */
  probeMethod: string;
};

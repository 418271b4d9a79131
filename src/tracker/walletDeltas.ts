/** Asset key of a chain's own coin (ETH, S, SOL) in every delta map. */
export const NATIVE = 'native' as const;

/**
 * What one wallet gained and lost in one transaction, as raw integer amounts.
 * Asset keys are `NATIVE`, an EVM token address in lower case, or a Solana mint.
 */
export type WalletDeltas = {
  /** EVM address in lower case, or a Solana base58 address. */
  wallet: string;
  failed: boolean;
  /** Network fee this wallet paid for the transaction; 0n when another account paid. */
  fee: bigint;
  /** Signed net change per asset, the fee excluded; zero changes are left out. */
  deltas: Map<string, bigint>;
};

/** What a wallet did in one transaction, as the shared classifier names it. */
export type TradeKind = 'buy' | 'sell' | 'swap' | 'transfer_in' | 'transfer_out' | 'wrap' | 'unwrap' | 'other';

export const TRADE_KINDS: readonly TradeKind[] = [
  'buy',
  'sell',
  'swap',
  'transfer_in',
  'transfer_out',
  'wrap',
  'unwrap',
  'other',
];

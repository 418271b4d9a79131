import type { ChainConfig } from '../config/chainPresets.js';
import type { ProcessedBlock } from '../db/storeChainRecords.js';
import type { ChainCursor } from './ChainStore.js';
import type { Explanation } from './explainTransaction.js';
import type { TradeRecord } from './tradeRecord.js';

export type { ChainCursor } from './ChainStore.js';

/** A transaction a driver could not decode: kept in skipped_transactions, counted, and moved past. */
export type SkippedTransaction = { txHash: string; blockNumber: bigint; reason: string };

/**
 * What a driver yields while following its chain. The consumer stores each event before asking for the
 * next, so a driver resumes after a `records` event from its cursor and after a `reorg` from its ancestor.
 */
export type ChainEvent =
  | {
      type: 'records';
      records: TradeRecord[];
      /** The chain's cursor once these records are stored. */
      cursor: ChainCursor;
      /** Block hashes to keep for reorg detection (chains that reorg). */
      blocks?: ProcessedBlock[];
      /** How many blocks below the cursor hashes are kept. */
      keepBlocks?: number;
      /** Per-address cursors (chains read address by address, Solana). */
      addressCursors?: { address: string; signature: string; slot: bigint }[];
      skipped?: SkippedTransaction[];
      /** The head the node reported, for the lag gauge. */
      head?: bigint;
    }
  | {
      type: 'reorg';
      /** The newest block still on the chain: everything above it is undone. */
      ancestor: ChainCursor;
      /** Where the follower stood when it saw the reorg. */
      from: ChainCursor;
    };

/**
 * Records of transactions in a block still being built (Flashblocks), yielded while following alongside the sealed
 * blocks' events: stored and alerted as preconfirmed without moving the cursor, and settled when `block` seals.
 */
export type PreconfirmedEvent = { type: 'preconfirmed'; records: TradeRecord[]; block: bigint };

/** What a driver yields while following: its chain's events, and on EVM chains with Flashblocks, preconfirmations. */
export type FollowEvent = ChainEvent | PreconfirmedEvent;

/** A wallet's history read outside the follower: stored without alerts, moving no cursor. */
export type BackfillResult = { records: TradeRecord[]; skipped: SkippedTransaction[]; fromBlock: bigint; toBlock: bigint; transactions: number };
export type BackfillRange = { fromBlock: bigint } | { sinceMs: number };

/** Symbol and decimals of the tokens a live transaction moved, as their chain answered. */
export type TokenNames = ReadonlyMap<string, { symbol: string | null; decimals: number | null }>;
/** What `lookout explain` shows of a live transaction. */
export type Explained = { entries: Explanation[]; tokens: TokenNames };
/** A transaction's explanation, or why there is none: the chain does not know it, or its RPC did not answer. */
export type ExplainOutcome = { kind: 'found'; explained: Explained } | { kind: 'unknown' } | { kind: 'unreachable' };

/** A token's metadata as its chain states it; null for a field the token has none of. */
export type TokenMetadata = { address: string; symbol: string | null; name: string | null; decimals: number | null };

/** The native coin's current USD price from the chain's own feed. */
export type NativeUsdPrice = { priceUsd: string; observedAt: Date };

/** A fee at three speeds, exact decimal strings in the estimate's unit. */
export type FeeLevels = { slow: string; normal: string; fast: string };

/**
 * A chain's current network fees, as `/gas` shows them. Levels are in `unit`: gwei per gas on EVM (base fee plus
 * priority fee), micro-lamports per compute unit on Solana (the priority fee; the base fee is per signature),
 * sat/vB on Bitcoin. Every amount is an exact decimal string.
 */
export type FeeEstimate = {
  chain: string;
  unit: string;
  levels: FeeLevels;
  /** EVM: the next block's base fee in gwei; Solana: the base fee per signature in lamports; null where there is none. */
  baseFee: string | null;
  /** The native coin's USD price the costs use; null when none is known. */
  nativeUsd: string | null;
  /** What typical transactions cost at each level: `units` says the size assumed (gas, compute units, vbytes). */
  costs: { action: 'transfer' | 'swap'; units: string; native: FeeLevels; usd: FeeLevels | null }[];
  observedAt: Date;
};

/**
 * Everything Lookout does with one chain, behind one shape per chain kind (src/tracker/evm, src/tracker/solana).
 * A driver talks to its chain; what it needs of Lookout's state comes through a ChainStore; it runs no SQL.
 */
export type ChainDriver = {
  readonly chain: ChainConfig;
  /** Follows the chain from the cursor until the signal aborts: polling, woken early by subscriptions, retrying failures. */
  follow(cursor: ChainCursor | null, signal: AbortSignal): AsyncIterable<FollowEvent>;
  /** One pass from the cursor to the current head; a failure is thrown. */
  syncOnce(cursor: ChainCursor | null): AsyncIterable<ChainEvent>;
  /** A wallet's current balance of the native coin and of these assets, raw. */
  readHoldings(wallet: string, assets: string[]): Promise<Map<string, bigint>>;
  readTokenMetadata(assets: string[]): Promise<TokenMetadata[]>;
  /** The native coin's USD price now, from the chain's configured feed; null without one or when it gives none. */
  nativeUsdPrice(): Promise<NativeUsdPrice | null>;
  /** The chain's current fees, for `/gas`; absent on a chain kind that cannot tell them. A node that does not answer throws. */
  feeEstimate?(): Promise<FeeEstimate>;
  /** Reads a wallet's history; null on a chain kind that cannot yet. */
  backfill: ((wallet: string, range: BackfillRange) => Promise<BackfillResult>) | null;
  /** Explains a transaction by its id for some wallets (default: its sender or fee payer). */
  explain(id: string, wallets: string[]): Promise<ExplainOutcome>;
  /** Releases connections (sockets) the driver opened. */
  close(): Promise<void>;
};

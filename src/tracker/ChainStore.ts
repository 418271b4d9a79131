import type { AddressCursor } from '../db/addressCursorQueries.js';
import type { NewToken, TokenRow } from '../db/tokenQueries.js';

/** Where a chain's follower stands: the last block (slot on Solana) processed and its hash, when the chain has one. */
export type ChainCursor = { number: bigint; hash: string | null };

/** The token rows a token registry reads and writes. */
export type TokenStore = {
  find(chain: string, addresses: string[]): Promise<TokenRow[]>;
  /** Stores rows; a stored token keeps its row unless `replace` (chain presets). */
  save(rows: NewToken[], replace?: boolean): Promise<void>;
  /** Stores metadata just read from the chain, replacing an earlier read. */
  saveRead(rows: NewToken[]): Promise<void>;
};

/**
 * The port through which a chain driver reads Lookout's own state; a driver runs no SQL. The database
 * implements it (createChainStore in src/db/chainStore.ts); tests can pass a map-backed one.
 */
export type ChainStore = {
  /** Every address followed on the chain, across workspaces. Read-only: the store may hand the same set out again. */
  followedAddresses(chain: string): Promise<ReadonlySet<string>>;
  /** Every followed address with the moment it was first followed. Read-only, like followedAddresses. */
  followedSince(chain: string): Promise<ReadonlyMap<string, Date>>;
  chainCursor(chain: string): Promise<ChainCursor | null>;
  /** Block hashes kept for reorg detection, newest first. */
  recentBlocks(chain: string): Promise<{ number: bigint; hash: string }[]>;
  /** Per-address cursors of a chain read address by address (Solana). */
  addressCursors(chain: string): Promise<Map<string, AddressCursor>>;
  /** Whether any followed wallet has ever held the asset (an unknown token sent unasked is spam). */
  anyWalletHeld(chain: string, asset: string): Promise<boolean>;
  tokens: TokenStore;
};

const noState = (): Promise<never> => Promise.reject(new Error('This driver was built without Lookout state (explain); it cannot follow.'));

/** The store of a driver built only to read the chain (explain, probes): every read of Lookout's state fails. */
export const NO_CHAIN_STORE: ChainStore = {
  followedAddresses: noState,
  followedSince: noState,
  chainCursor: noState,
  recentBlocks: noState,
  addressCursors: noState,
  anyWalletHeld: noState,
  tokens: { find: noState, save: noState, saveRead: noState },
};

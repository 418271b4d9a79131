import { followedSince, loadAddressCursors } from './addressCursorQueries.js';
import { loadChainCursor, loadRecentBlocks } from './chainCursorQueries.js';
import { anyWalletHeld } from './holdingQueries.js';
import type { Db } from './openDatabase.js';
import { findTokens, saveReadTokens, saveTokens } from './tokenQueries.js';
import { followedAddresses } from './walletQueries.js';

/**
 * What chain drivers read of Lookout's own state, over the database: followed addresses, cursors, the
 * recent block hashes, whether an asset was ever held, and token rows. The tracker declares the port
 * (ChainStore in src/tracker/ChainDriver.ts); this object satisfies it structurally.
 */
export function createChainStore(db: Db) {
  return {
    followedAddresses: (chain: string) => followedAddresses(db, chain),
    followedSince: (chain: string) => followedSince(db, chain),
    chainCursor: (chain: string) => loadChainCursor(db, chain),
    recentBlocks: (chain: string) => loadRecentBlocks(db, chain),
    addressCursors: (chain: string) => loadAddressCursors(db, chain),
    anyWalletHeld: (chain: string, asset: string) => anyWalletHeld(db, chain, asset),
    tokens: {
      find: (chain: string, addresses: string[]) => findTokens(db, chain, addresses),
      save: (rows: Parameters<typeof saveTokens>[1], replace?: boolean) => saveTokens(db, rows, replace),
      saveRead: (rows: Parameters<typeof saveReadTokens>[1]) => saveReadTokens(db, rows),
    },
  };
}

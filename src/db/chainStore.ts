import { followedSince, loadAddressCursors } from './addressCursorQueries.js';
import { loadChainCursor, loadRecentBlocks } from './chainCursorQueries.js';
import { anyWalletHeld } from './holdingQueries.js';
import type { Db } from './openDatabase.js';
import { findTokens, saveReadTokens, saveTokens } from './tokenQueries.js';
import { followedVersion } from './walletQueries.js';

/**
 * What chain drivers read of Lookout's own state, over the database: followed addresses, cursors, the
 * recent block hashes, whether an asset was ever held, and token rows. The tracker declares the port
 * (ChainStore in src/tracker/ChainDriver.ts); this object satisfies it structurally.
 */
export function createChainStore(db: Db) {
  const followed = createFollowedCache(db);
  return {
    followedAddresses: async (chain: string) => (await followed.read(chain)).addresses,
    followedSince: async (chain: string) => (await followed.read(chain)).since,
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

type Followed = { version: string; addresses: ReadonlySet<string>; since: ReadonlyMap<string, Date> };

/**
 * The followed addresses of each chain, read in full only when they changed: every block range (or Solana pass)
 * asks, and a read first compares the chain's wallet version (count and highest id, one small row) with the one
 * cached. Note: the version is read before the list, so a wallet tracked between the two reads (by the chat or by
 * another process on the same database) shows up at the latest on the next read; none is ever missed for longer.
 */
function createFollowedCache(db: Db) {
  const byChain = new Map<string, Followed>();
  return {
    async read(chain: string): Promise<Followed> {
      const version = await followedVersion(db, chain);
      const cached = byChain.get(chain);
      if (cached?.version === version) return cached;
      const since = await followedSince(db, chain);
      const fresh = { version, addresses: new Set(since.keys()), since };
      byChain.set(chain, fresh);
      return fresh;
    },
  };
}

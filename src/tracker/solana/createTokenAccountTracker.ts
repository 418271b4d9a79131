import type { DecodedSolanaTransaction } from './decodeSolanaTransaction.js';
import type { SolanaRpc } from './createSolanaRpc.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';

/** A watched address and the followed wallet it counts for: the wallet itself or one of its token accounts. */
export type Watched = { address: string; owner: string };

export type TokenAccountTracker = {
  /** Lists again the token accounts of owners not listed for a while, and forgets owners no longer followed. */
  refresh(owners: readonly string[]): Promise<void>;
  /** Every owner and each of its token accounts. */
  watched(owners: readonly string[]): Watched[];
  /** The slot from which a token account can have been in use; null when it was there before its owner's cursor. */
  openedAt(owner: string, account: string): bigint | null | undefined;
  /** Token accounts of followed wallets that a transaction opened are watched from the next round, without waiting for a refresh. */
  learn(decoded: DecodedSolanaTransaction, followed: ReadonlySet<string>): void;
};

const REFRESH_MS = 120_000;

/**
 * The token accounts of each followed wallet (a plain SPL transfer lists only those, not their owner), each with
 * the slot from which it can have been in use, and the slot the node answered the last listing at.
 */
export function createTokenAccountTracker(rpc: Pick<SolanaRpc, 'tokenAccounts'>, concurrency: number, now: () => number = Date.now): TokenAccountTracker {
  const byOwner = new Map<string, { accounts: Map<string, bigint | null>; refreshedAt: number; refreshedSlot: bigint | null }>();
  return {
    async refresh(owners) {
      const followed = new Set(owners);
      for (const owner of byOwner.keys()) if (!followed.has(owner)) byOwner.delete(owner);
      const at = now();
      const stale = owners.filter((owner) => {
        const known = byOwner.get(owner);
        return known === undefined || at - known.refreshedAt >= REFRESH_MS;
      });
      await mapWithConcurrency(stale, concurrency, async (owner) => {
        const listed = await rpc.tokenAccounts(owner);
        const slot = BigInt(listed.slot);
        const previous = byOwner.get(owner);
        const accounts = new Map<string, bigint | null>();
        for (const { address } of listed.accounts) {
          accounts.set(address, previous?.accounts.has(address) ? previous.accounts.get(address)! : (previous?.refreshedSlot ?? null));
        }
        // One learned from a transaction newer than the listing is kept: the node that listed may lag.
        for (const [address, from] of previous?.accounts ?? []) if (from !== null && from > slot && !accounts.has(address)) accounts.set(address, from);
        byOwner.set(owner, { accounts, refreshedAt: at, refreshedSlot: slot });
      });
    },
    watched(owners) {
      const watched: Watched[] = owners.map((owner) => ({ address: owner, owner }));
      for (const owner of owners) {
        for (const address of byOwner.get(owner)?.accounts.keys() ?? []) watched.push({ address, owner });
      }
      return watched;
    },
    openedAt: (owner, account) => byOwner.get(owner)?.accounts.get(account),
    learn(decoded, followed) {
      for (const balance of decoded.tokenBalances.post) {
        const known = followed.has(balance.owner) ? byOwner.get(balance.owner) : undefined;
        if (known && !known.accounts.has(balance.account)) known.accounts.set(balance.account, BigInt(decoded.slot));
      }
    },
  };
}

import type { AddressCursor } from '../../db/addressCursorQueries.js';
import type { SolanaRpc } from './createSolanaRpc.js';
import type { NotificationBook } from './createNotificationBook.js';
import type { TokenAccountTracker, Watched } from './createTokenAccountTracker.js';
import { findNewSignatures, type DiscoveryStart } from './findNewSignatures.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';
import type { AddressSignatures } from './planSignatureBatches.js';

/** What one round of discovery found: new signatures per address, and cursors for addresses seen for the first time. */
export type Discovered = {
  found: (AddressSignatures & { firstCursor: AddressCursor | null })[];
  firstCursors: { address: string; cursor: AddressCursor }[];
  /** Marks the addresses read in this round as polled, once what they gave is stored. */
  polled(): void;
};

export type SignatureDiscovery = {
  /** New signatures of the watched addresses that are due: every one with `all`; else owners, notified, new, or not read for a while. */
  discover(
    scope: 'all' | 'due',
    watched: readonly Watched[],
    cursors: ReadonlyMap<string, AddressCursor>,
    since: ReadonlyMap<string, Date>,
  ): Promise<Discovered>;
};

/** Signature discovery of the Solana follower: which addresses to read in a round, and from where. */
export function createSignatureDiscovery(deps: {
  rpc: Pick<SolanaRpc, 'signatures' | 'slot'>;
  tokenAccounts: Pick<TokenAccountTracker, 'openedAt'>;
  book: Pick<NotificationBook, 'isPending'>;
  concurrency: number;
  /** Time between two reads of a token account that no notification pointed at. */
  tokenAccountPollMs: number;
}): SignatureDiscovery {
  const lastPolled = new Map<string, number>();

  function startOf(entry: Watched, cursors: ReadonlyMap<string, AddressCursor>, since: ReadonlyMap<string, Date>): DiscoveryStart {
    const cursor = cursors.get(entry.address);
    const ownerSince = since.get(entry.owner) ?? null;
    if (cursor) return { kind: 'cursor', cursor, since: ownerSince };
    const ownerCursor = cursors.get(entry.owner);
    if (entry.address === entry.owner || !ownerCursor) return { kind: 'newest' };
    // Note: a token account that shows up after its owner was first seen was opened (or handed over)
    // since; what it did from then on is new to us, though its owner's cursor may be past it already.
    const fromSlot = deps.tokenAccounts.openedAt(entry.owner, entry.address) ?? ownerCursor.slot;
    return { kind: 'history', fromSlot, since: ownerSince };
  }

  return {
    async discover(scope, watched, cursors, since) {
      const watchedSet = new Set(watched.map((entry) => entry.address));
      for (const address of lastPolled.keys()) if (!watchedSet.has(address)) lastPolled.delete(address);
      const startedAt = Date.now();
      const due = watched.filter(
        (entry) =>
          scope === 'all' ||
          entry.address === entry.owner ||
          deps.book.isPending(entry.address) ||
          !cursors.has(entry.address) ||
          startedAt - (lastPolled.get(entry.address) ?? 0) >= deps.tokenAccountPollMs,
      );
      // Addresses seen for the first time with no transaction start at the current slot: one read for all of them.
      let slot: Promise<number> | undefined;
      const reader = { signatures: deps.rpc.signatures, slot: () => (slot ??= deps.rpc.slot()) };
      const found = await mapWithConcurrency(due, deps.concurrency, async (entry) => ({
        address: entry.address,
        ...(await findNewSignatures(reader, entry.address, startOf(entry, cursors, since))),
      }));
      return {
        found,
        firstCursors: found.flatMap(({ address, firstCursor }) => (firstCursor ? [{ address, cursor: firstCursor }] : [])),
        polled: () => {
          for (const entry of due) lastPolled.set(entry.address, startedAt);
        },
      };
    },
  };
}

import type { AddressCursor } from '../../db/addressCursorQueries.js';
import type { SignatureInfo, SolanaRpc } from './createSolanaRpc.js';

/** Where reading an address starts. */
export type DiscoveryStart =
  /** After the saved cursor. */
  | { kind: 'cursor'; cursor: AddressCursor; since: Date | null }
  /** An address seen for the first time: its past is not replayed, only its newest signature becomes the cursor. */
  | { kind: 'newest' }
  /**
   * A token account that appeared after its owner was first seen: everything from the slot it
   * can have appeared at, but nothing from before the owner was followed.
   */
  | { kind: 'history'; fromSlot: bigint; since: Date | null };

/** New signatures of an address, newest first, and the cursor to save for an address seen for the first time with nothing new. */
export type Discovery = { signatures: SignatureInfo[]; firstCursor: AddressCursor | null };

const PAGE_SIZE = 1000;
// Validator clocks and ours differ by seconds; a little too much history costs only reads, never a duplicate.
const SINCE_MARGIN_MS = 30_000;

/**
 * Pages back through an address's signatures from the newest until the cursor, `before` one page
 * after another. Besides `until`, it stops at anything older than the cursor's slot or than when
 * the wallet was followed, so a node that no longer knows the cursor's signature cannot make it
 * replay an address's whole past.
 */
export async function findNewSignatures(rpc: Pick<SolanaRpc, 'signatures' | 'slot'>, address: string, start: DiscoveryStart): Promise<Discovery> {
  if (start.kind === 'newest') {
    const [newest] = await rpc.signatures(address, { limit: 1 });
    const firstCursor = newest
      ? { signature: newest.signature, slot: BigInt(newest.slot) }
      : { signature: null, slot: BigInt(await rpc.slot()) };
    return { signatures: [], firstCursor };
  }
  const cursor = start.kind === 'cursor' ? start.cursor : null;
  const oldestMs = start.since === null ? null : start.since.getTime() - SINCE_MARGIN_MS;
  const isPast = (info: SignatureInfo): boolean => {
    if (info.blockTime !== null && oldestMs !== null && info.blockTime * 1000 < oldestMs) return true;
    if (start.kind === 'history') return BigInt(info.slot) < start.fromSlot;
    if (cursor === null) return false;
    if (info.signature === cursor.signature) return true;
    const slot = BigInt(info.slot);
    return cursor.signature === null ? slot <= cursor.slot : slot < cursor.slot;
  };

  // A token account with nothing to read yet still gets a cursor, so it is not read as new in every round.
  const done = (signatures: SignatureInfo[]): Discovery => ({
    signatures,
    firstCursor: start.kind === 'history' && signatures.length === 0 ? { signature: null, slot: start.fromSlot - 1n } : null,
  });
  const signatures: SignatureInfo[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await rpc.signatures(address, { before, until: cursor?.signature ?? undefined, limit: PAGE_SIZE });
    for (const info of page) {
      if (isPast(info)) return done(signatures);
      signatures.push(info);
    }
    if (page.length < PAGE_SIZE) return done(signatures);
    before = page[page.length - 1]!.signature;
  }
}

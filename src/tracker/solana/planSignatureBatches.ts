import type { SignatureInfo } from './createSolanaRpc.js';

/** New signatures found for one watched address, newest first, as getSignaturesForAddress lists them. */
export type AddressSignatures = { address: string; signatures: readonly SignatureInfo[] };

/** Signatures to process and store together, and where address cursors move once they are stored. */
export type SignatureBatch = {
  /** Oldest first, each signature once however many addresses it was found through. */
  signatures: SignatureInfo[];
  lastSlot: number;
  cursors: { address: string; signature: string; slot: number }[];
};

/**
 * Orders the signatures found through every address oldest first and cuts them into batches
 * of about `maxPerBatch`, never splitting a slot. An address's cursor moves to its newest
 * signature of the batches stored so far: since every address's new signatures are all in the
 * plan and batches go in slot order, a cursor never passes a signature that is not stored.
 */
export function planSignatureBatches(found: readonly AddressSignatures[], maxPerBatch: number): SignatureBatch[] {
  const ordered: SignatureInfo[] = [];
  const seen = new Set<string>();
  for (const { signatures } of found) {
    for (let i = signatures.length - 1; i >= 0; i--) {
      const info = signatures[i]!;
      if (seen.has(info.signature)) continue;
      seen.add(info.signature);
      ordered.push(info);
    }
  }
  // Stable: within a slot, the order an address listed them in is kept.
  ordered.sort((a, b) => a.slot - b.slot);

  const batches: SignatureBatch[] = [];
  let current: SignatureInfo[] = [];
  const close = (): void => {
    if (current.length > 0) batches.push({ signatures: current, lastSlot: current[current.length - 1]!.slot, cursors: [] });
    current = [];
  };
  for (const info of ordered) {
    if (current.length >= maxPerBatch && current[current.length - 1]!.slot !== info.slot) close();
    current.push(info);
  }
  close();

  const moved = new Map<string, string>();
  for (const batch of batches) {
    for (const { address, signatures } of found) {
      const newest = signatures.find((info) => info.slot <= batch.lastSlot);
      if (newest === undefined || moved.get(address) === newest.signature) continue;
      moved.set(address, newest.signature);
      batch.cursors.push({ address, signature: newest.signature, slot: newest.slot });
    }
  }
  return batches;
}

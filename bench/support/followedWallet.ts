import { createHash } from 'node:crypto';
import { base58Encode } from '../../src/tracker/solana/base58.js';

/** The i-th followed wallet of the Solana benchmark: the same address in the node and in Lookout. */
export function followedWallet(index: number): string {
  return base58Encode(createHash('sha256').update(`followed wallet ${index}`).digest());
}

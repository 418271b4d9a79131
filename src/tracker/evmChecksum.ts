import { keccak_256 } from '@noble/hashes/sha3';

/**
 * The EIP-55 form of a 0x address of 40 hex digits: a letter is upper case where the keccak-256 of the lower-case
 * address has a nibble of 8 or more.
 */
export function checksumAddress(address: string): string {
  // Note: keccak from @noble/hashes rather than viem keeps address checks out of viem's import time, so the CLI
  // answers a bad address at once.
  const lower = address.slice(2).toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const nibble = i % 2 === 0 ? hash[i >> 1]! >> 4 : hash[i >> 1]! & 0x0f;
    out += nibble >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  }
  return out;
}

/** True for a 0x address of 40 hex digits that is all lower case, all upper case, or correctly checksummed. */
export function isEvmAddress(value: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return false;
  const digits = value.slice(2);
  if (digits === digits.toLowerCase() || digits === digits.toUpperCase()) return true;
  return checksumAddress(value) === value;
}

import { getAddress, isAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { checksumAddress, isEvmAddress } from './evmChecksum.js';

const ADDRESSES = [
  '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913',
  '0x4200000000000000000000000000000000000006',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
];

describe('checksumAddress', () => {
  it.each(ADDRESSES)('behavior: gives the EIP-55 form of %s, as viem does', (address) => {
    expect(checksumAddress(address.toLowerCase())).toBe(getAddress(address));
    expect(checksumAddress(address.toUpperCase().replace('0X', '0x'))).toBe(getAddress(address));
  });

  it('behavior: agrees with viem on random addresses', () => {
    for (let n = 0; n < 200; n++) {
      const hex = Array.from({ length: 40 }, (_, i) => ((n * 7919 + i * 104729) % 16).toString(16)).join('');
      expect(checksumAddress(`0x${hex}`)).toBe(getAddress(`0x${hex}`));
    }
  });
});

describe('isEvmAddress', () => {
  it('behavior: accepts lower case, upper case and correct checksums, refuses a bad checksum', () => {
    for (const address of ADDRESSES) {
      expect(isEvmAddress(address)).toBe(true);
      expect(isEvmAddress(address.toLowerCase())).toBe(true);
      const flipped = address.replace(/[a-f]/, (c) => c.toUpperCase());
      expect(isEvmAddress(flipped)).toBe(isAddress(flipped, { strict: true }));
    }
    expect(isEvmAddress('0x5FbDB2315678afecb367f032d93F642f64180aA3')).toBe(false);
    expect(isEvmAddress('0x5FbDB2315678afecb367f032d93F642f64180a')).toBe(false);
  });
});

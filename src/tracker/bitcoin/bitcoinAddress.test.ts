import { describe, expect, it } from 'vitest';
import { parseWalletAddress } from '../walletAddress.js';
import { isBitcoinAddress, parseBitcoinAddress } from './bitcoinAddress.js';

describe('parseBitcoinAddress', () => {
  it('behavior: accepts the genesis coinbase P2PKH address as it is', () => {
    expect(parseWalletAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toEqual({ kind: 'bitcoin', address: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' });
  });
  it('behavior: accepts a P2SH address', () => {
    expect(parseBitcoinAddress('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toBe('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy');
  });
  it('behavior: accepts BIP-173 bech32 v0 addresses of 20 and 32 bytes, stored in lower case', () => {
    expect(parseWalletAddress('BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4')).toEqual({ kind: 'bitcoin', address: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' });
    expect(parseBitcoinAddress('bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3')).toBe('bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3');
  });
  it('behavior: accepts BIP-350 bech32m v1 (taproot) addresses', () => {
    expect(parseBitcoinAddress('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0')).toBe('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0');
    expect(isBitcoinAddress('bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y')).toBe(true);
  });
  it('error: refuses a P2PKH address with one character changed: bad checksum', () => {
    expect(() => parseWalletAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb')).toThrow('That Bitcoin address has a bad checksum; copy it again.');
  });
  it('error: refuses a bech32 address with a broken checksum', () => {
    expect(() => parseBitcoinAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5')).toThrow(/bad checksum/);
  });
  it('error: refuses a v1 program under a bech32 checksum and a v0 program under bech32m (BIP-350 invalid vectors)', () => {
    expect(() => parseBitcoinAddress('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd')).toThrow(/wrong bech32 variant/);
    expect(() => parseBitcoinAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh')).toThrow(/wrong bech32 variant/);
  });
  it('error: refuses a mixed-case bech32 address and testnet addresses', () => {
    expect(() => parseBitcoinAddress('bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')).toThrow(/mixes upper and lower case/);
    expect(() => parseWalletAddress('tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx')).toThrow(/testnet/);
  });
  it('error: refuses a v0 program of a length no script has (BIP-173 invalid vector)', () => {
    expect(() => parseBitcoinAddress('BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P')).toThrow(/cannot be 16 bytes/);
  });
  it('behavior: a base58 Solana address that starts with 1 is still a Solana address', () => {
    expect(parseWalletAddress('11111111111111111111111111111111')).toEqual({ kind: 'solana', address: '11111111111111111111111111111111' });
  });
});

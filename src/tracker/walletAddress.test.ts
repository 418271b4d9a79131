import { describe, expect, it } from 'vitest';
import { parseWalletAddress, shortAddress } from './walletAddress.js';

describe('parseWalletAddress', () => {
  it('behavior: stores a checksummed EVM address in lower case', () => {
    expect(parseWalletAddress('0x5FbDB2315678afecb367f032d93F642f64180aa3')).toEqual({
      kind: 'evm',
      address: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    });
  });
  it('behavior: accepts an all-lower-case EVM address without a checksum', () => {
    expect(parseWalletAddress('0x5fbdb2315678afecb367f032d93f642f64180aa3').kind).toBe('evm');
  });
  it('error: rejects an address with a bad checksum', () => {
    expect(() => parseWalletAddress('0x5FbDB2315678afecb367f032d93F642f64180aA3')).toThrow(/bad checksum/);
  });
  it('error: rejects an EVM address of the wrong length', () => {
    expect(() => parseWalletAddress('0x5FbDB2315678afecb367f032d93F642f64180a')).toThrow(/40 characters where an address has 42/);
  });
  it('error: rejects a non-hex EVM address', () => {
    expect(() => parseWalletAddress('0x5FbDB2315678afecb367f032d93F642f64180aaZ')).toThrow(/'Z' is not a hex digit/);
  });
  it('behavior: accepts a base58 Solana address of 32 bytes', () => {
    expect(parseWalletAddress('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v')).toEqual({
      kind: 'solana',
      address: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
    });
    expect(parseWalletAddress('11111111111111111111111111111111').kind).toBe('solana');
  });
  it('error: rejects a string that is not base58', () => {
    expect(() => parseWalletAddress('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1O')).toThrow(/'O' is neither base58/);
  });
  it('error: rejects base58 that is not 32 bytes', () => {
    expect(() => parseWalletAddress('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTD')).toThrow(/decodes to 30 bytes/);
  });
  it('behavior: shortens addresses for chat lines', () => {
    expect(shortAddress('0x5fbdb2315678afecb367f032d93f642f64180aa3')).toBe('0x5FbD…0aa3');
    expect(shortAddress('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v')).toBe('EPjF…Dt1v');
  });
});

import { describe, expect, it } from 'vitest';
import { parseWalletAddress } from '../walletAddress.js';
import { crc16Xmodem, isStellarAccount, parseStellarAccount } from './stellarAddress.js';

// The Stellar Development Foundation's USDC issuer (Circle) and an SEP-23 test vector account.
const CIRCLE_USDC_ISSUER = 'GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN';
const SEP23_ACCOUNT = 'GA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJVSGZ';

describe('parseStellarAccount', () => {
  it('behavior: accepts real G… account ids', () => {
    expect(parseWalletAddress(CIRCLE_USDC_ISSUER)).toEqual({ kind: 'stellar', address: CIRCLE_USDC_ISSUER });
    expect(parseStellarAccount(SEP23_ACCOUNT)).toBe(SEP23_ACCOUNT);
  });
  it('behavior: computes the CRC16-XModem check value of "123456789"', () => {
    expect(crc16Xmodem(new TextEncoder().encode('123456789'))).toBe(0x31c3);
  });
  it('error: refuses an account with one character changed: bad checksum', () => {
    const broken = `${SEP23_ACCOUNT.slice(0, 20)}${SEP23_ACCOUNT[20] === 'A' ? 'B' : 'A'}${SEP23_ACCOUNT.slice(21)}`;
    expect(() => parseWalletAddress(broken)).toThrow('That Stellar account has a bad checksum; copy it again.');
    expect(isStellarAccount(broken)).toBe(false);
  });
  it('error: refuses a muxed M… account, pointing at its G… account', () => {
    expect(() => parseWalletAddress('MA7QYNF7SOWQ3GLR2BGMZEHXAVIRZA4KVWLTJJFC7MGXUA74P7UJUAAAAAAAAAAAACJUQ')).toThrow(/muxed Stellar account.*G… account/);
  });
  it('error: refuses a secret seed without repeating it', () => {
    const seed = 'SBCVMMCBEDB64TVJZFYJOJAERZC4YVVUOE6SYR2Y76CBTENGUSGWRRVO';
    expect(() => parseWalletAddress(seed)).toThrow(/secret seed/);
    try {
      parseWalletAddress(seed);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(seed);
    }
  });
  it('error: refuses a lower-case account id', () => {
    expect(() => parseStellarAccount(SEP23_ACCOUNT.toLowerCase())).toThrow(/upper case/);
  });
});

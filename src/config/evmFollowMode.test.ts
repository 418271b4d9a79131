import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/LookoutError.js';
import { parseEvmFollowMode } from './evmFollowMode.js';

describe('parseEvmFollowMode', () => {
  it('behavior: unset or empty is auto; each mode is read case-blind', () => {
    expect(parseEvmFollowMode(undefined)).toBe('auto');
    expect(parseEvmFollowMode(' ')).toBe('auto');
    expect(parseEvmFollowMode('Wallets')).toBe('wallets');
    expect(parseEvmFollowMode('blocks')).toBe('blocks');
  });

  it('error: another word says which ones are allowed', () => {
    expect(() => parseEvmFollowMode('fast')).toThrow(ConfigError);
    expect(() => parseEvmFollowMode('fast')).toThrow("EVM_FOLLOW_MODE must be auto, wallets or blocks; 'fast' is not one of them.");
  });
});

import { describe, expect, it } from 'vitest';
import { nativeChainOf } from './nativeChainOf.js';

const chains = [
  { name: 'base', nativeSymbol: 'ETH' },
  { name: 'ethereum', nativeSymbol: 'ETH' },
  { name: 'bitcoin', nativeSymbol: 'BTC' },
  { name: 'stellar', nativeSymbol: 'XLM' },
];

describe('nativeChainOf', () => {
  it('behavior: an exchange coin is the native coin of the first configured chain that has it', () => {
    expect(nativeChainOf(chains, 'BTC')).toBe('bitcoin');
    expect(nativeChainOf(chains, 'XLM')).toBe('stellar');
    expect(nativeChainOf(chains, 'eth')).toBe('base');
  });

  it('error: a coin no configured chain has gives null, never a guess', () => {
    expect(nativeChainOf(chains, 'BNB')).toBeNull();
    expect(nativeChainOf([], 'BTC')).toBeNull();
  });
});

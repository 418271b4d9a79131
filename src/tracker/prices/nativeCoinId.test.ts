import { describe, expect, it } from 'vitest';
import { CHAIN_PRESETS } from '../../config/chainPresets.js';
import { NATIVE } from '../walletDeltas.js';
import { defiLlamaCoin } from './createDefiLlamaSource.js';

describe('native coins at DefiLlama', () => {
  it('behavior: BTC and XLM are priced with history as coingecko:bitcoin and coingecko:stellar', () => {
    const preset = (name: string) => CHAIN_PRESETS.find((chain) => chain.name === name)!;
    expect(defiLlamaCoin(preset('bitcoin'), NATIVE)).toBe('coingecko:bitcoin');
    expect(defiLlamaCoin(preset('stellar'), NATIVE)).toBe('coingecko:stellar');
    expect(defiLlamaCoin(preset('solana'), NATIVE)).toBe('coingecko:solana');
  });
});

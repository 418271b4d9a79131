import { describe, expect, it } from 'vitest';
import { createBlockPacing } from './createBlockPacing.js';

const block = (number: number, seconds: number) => ({ number: `0x${number.toString(16)}`, timestamp: `0x${seconds.toString(16)}` });

describe('createBlockPacing', () => {
  it('behavior: sleeps until just before the next block is expected, from the last timestamp and the delay seen', () => {
    let now = 98_150;
    const pacing = createBlockPacing({ blockTimeMs: 2_000, now: () => now });
    pacing.saw(block(10, 98));
    now = 100_120; // block 11 (timestamp 100 s) first seen 120 ms late
    pacing.saw(block(11, 100));
    now = 100_500;
    // Next expected at 102,000 + 120 ms; polls start half a short poll (62.5 ms) before it.
    expect(pacing.nextPollMs()).toBe(102_120 - 100_500 - 62.5);
  });

  it('behavior: polls every 1/16 block time once the block is due, and every half block time when long overdue', () => {
    let now = 200_000;
    const pacing = createBlockPacing({ blockTimeMs: 2_000, now: () => now });
    pacing.saw(block(1, 198));
    pacing.saw(block(2, 200));
    now = 202_000;
    expect(pacing.nextPollMs()).toBe(125);
    now = 210_000;
    expect(pacing.nextPollMs()).toBe(1_000);
  });

  it('edge: a catch-up after a gap is no sample, and nothing seen yet polls at a quarter block time', () => {
    let now = 0;
    const pacing = createBlockPacing({ blockTimeMs: 2_000, now: () => now });
    expect(pacing.nextPollMs()).toBe(500);
    pacing.saw(block(1, 0));
    now = 60_000;
    pacing.saw(block(30, 58));
    expect(pacing.nextPollMs()).toBe(500);
  });
});

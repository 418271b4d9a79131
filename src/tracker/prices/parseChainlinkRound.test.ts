import { encodeAbiParameters } from 'viem';
import { describe, expect, it } from 'vitest';
import { parseChainlinkRound } from './parseChainlinkRound.js';

const roundData = (answer: bigint, updatedAt = 1_700_000_000n, roundId = 7n) =>
  encodeAbiParameters(
    [{ type: 'uint80' }, { type: 'int256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint80' }],
    [roundId, answer, updatedAt, updatedAt, roundId],
  );
const decimals = (places: number) => encodeAbiParameters([{ type: 'uint8' }], [places]);

describe('parseChainlinkRound', () => {
  it('behavior: an 8-decimals answer becomes an exact decimal string', () => {
    const parsed = parseChainlinkRound(roundData(325_012_345_678n), decimals(8));
    expect(parsed).toEqual({
      ok: true,
      round: { roundId: 7n, answer: 325_012_345_678n, decimals: 8, updatedAt: 1_700_000_000n, priceUsd: '3250.12345678' },
    });
  });

  it('behavior: 18 decimals and a whole answer print without trailing zeros', () => {
    const parsed = parseChainlinkRound(roundData(3_300n * 10n ** 18n + 1n), decimals(18));
    expect(parsed.ok && parsed.round.priceUsd).toBe('3300.000000000000000001');
    const whole = parseChainlinkRound(roundData(3_300n * 10n ** 8n), decimals(8));
    expect(whole.ok && whole.round.priceUsd).toBe('3300');
  });

  it('error: a zero or negative answer is no price', () => {
    expect(parseChainlinkRound(roundData(0n), decimals(8))).toEqual({ ok: false, problem: 'not_positive' });
    expect(parseChainlinkRound(roundData(-5n), decimals(8))).toEqual({ ok: false, problem: 'not_positive' });
  });

  it('error: garbage, empty results and absurd decimals are no price', () => {
    expect(parseChainlinkRound('0x', decimals(8))).toEqual({ ok: false, problem: 'malformed' });
    expect(parseChainlinkRound(roundData(1n), '0x')).toEqual({ ok: false, problem: 'malformed' });
    expect(parseChainlinkRound(roundData(1n).slice(0, 200), decimals(8))).toEqual({ ok: false, problem: 'malformed' });
    expect(parseChainlinkRound(null, decimals(8))).toEqual({ ok: false, problem: 'malformed' });
    expect(parseChainlinkRound(`${roundData(1n).slice(0, -1)}z`, decimals(8))).toEqual({ ok: false, problem: 'malformed' });
    expect(parseChainlinkRound(roundData(1n), decimals(77))).toEqual({ ok: false, problem: 'bad_decimals' });
    expect(parseChainlinkRound(roundData(1n, 0n), decimals(8))).toEqual({ ok: false, problem: 'no_update_time' });
  });
});

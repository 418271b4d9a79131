import { Rational } from '../pnl/Rational.js';

/** The latest round of a Chainlink AggregatorV3 feed, as its answer and decimals say. */
export type ChainlinkRound = {
  roundId: bigint;
  /** The raw signed answer; the price is answer / 10^decimals. */
  answer: bigint;
  decimals: number;
  /** Unix seconds of the round's last update. */
  updatedAt: bigint;
  /** The exact price as a decimal string. */
  priceUsd: string;
};

/** Why a feed's answer cannot be used; the caller treats every case as "no price", never as 0. */
export type ChainlinkRoundProblem = 'malformed' | 'bad_decimals' | 'not_positive' | 'no_update_time';

export type ParsedChainlinkRound = { ok: true; round: ChainlinkRound } | { ok: false; problem: ChainlinkRoundProblem };

const WORD = 64;
const TWO_256 = 1n << 256n;
const INT256_MAX = (1n << 255n) - 1n;
const UINT80_MAX = (1n << 80n) - 1n;
// Feeds use 8 or 18; more than this is a broken contract, not a precision anyone publishes.
const MAX_DECIMALS = 36;

/**
 * Decodes the `eth_call` results of `latestRoundData()` and `decimals()` into an exact price.
 * Anything but a well-formed, positive, timestamped answer is a problem, so that a broken or
 * uninitialised feed leaves a trade unpriced instead of priced at zero.
 */
export function parseChainlinkRound(roundData: unknown, decimals: unknown): ParsedChainlinkRound {
  const words = wordsOf(roundData, 5);
  const decimalsWords = wordsOf(decimals, 1);
  if (!words || !decimalsWords) return { ok: false, problem: 'malformed' };
  const [roundId, rawAnswer, , updatedAt] = words as [bigint, bigint, bigint, bigint, bigint];
  const places = decimalsWords[0]!;
  if (places > BigInt(MAX_DECIMALS)) return { ok: false, problem: 'bad_decimals' };
  if (roundId > UINT80_MAX) return { ok: false, problem: 'malformed' };
  const answer = rawAnswer > INT256_MAX ? rawAnswer - TWO_256 : rawAnswer;
  if (answer <= 0n) return { ok: false, problem: 'not_positive' };
  if (updatedAt === 0n) return { ok: false, problem: 'no_update_time' };
  const digits = Number(places);
  return {
    ok: true,
    round: { roundId, answer, decimals: digits, updatedAt, priceUsd: Rational.of(answer, 10n ** places).toDecimalString(digits) },
  };
}

/** The first `count` 32-byte words of ABI-encoded return data, or null when it is not that. */
function wordsOf(data: unknown, count: number): bigint[] | null {
  if (typeof data !== 'string' || !/^0x(?:[0-9a-fA-F]{64})+$/.test(data)) return null;
  const hex = data.slice(2);
  if (hex.length < count * WORD) return null;
  const words: bigint[] = [];
  for (let i = 0; i < count; i++) words.push(BigInt(`0x${hex.slice(i * WORD, (i + 1) * WORD)}`));
  return words;
}

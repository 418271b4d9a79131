import { RetryableError } from '../../errors/LookoutError.js';
import type { FeeEstimate } from '../ChainDriver.js';
import { createHttpApiClient } from '../createHttpApiClient.js';
import { costOf, mapLevels } from '../feeMath.js';

/** What paying for confirmation within some blocks costs now. */
export type BitcoinFeeEstimate = { targetBlocks: number; satPerVbyte: number };

/**
 * Esplora's `/fee-estimates`: sat/vB per confirmation target in blocks, fastest first. Note: a fee rate is a
 * quote for a person, never added up as money, so it stays a number (Esplora gives fractions such as 1.011).
 */
export async function readBitcoinFeeEstimates(apiUrls: readonly string[], options: { fetch?: typeof fetch } = {}): Promise<BitcoinFeeEstimate[]> {
  const http = createHttpApiClient({ urls: apiUrls, name: 'Esplora', fetch: options.fetch });
  const body = await http.json<Record<string, unknown>>('/fee-estimates', 'fee-estimates');
  if (body === null || typeof body !== 'object') throw new RetryableError('The Esplora API gave no fee estimates; asking again later.');
  return Object.entries(body)
    .filter((entry): entry is [string, number] => /^\d+$/.test(entry[0]) && typeof entry[1] === 'number' && Number.isFinite(entry[1]) && entry[1] >= 0)
    .map(([target, rate]) => ({ targetBlocks: Number(target), satPerVbyte: rate }))
    .sort((a, b) => a.targetBlocks - b.targetBlocks);
}

/** A transfer's size assumed: one P2WPKH input and two outputs (the payment and the change), 141 vbytes. */
export const TRANSFER_VBYTES = 141n;
/** The confirmation targets shown: next block, about an hour, about a day. */
const TARGETS = { fast: 1, normal: 6, slow: 144 } as const;

/**
 * The chain's fees as `/gas` shows them, from Esplora's targets: sat/vB for the next block, about an hour and
 * about a day (the nearest target Esplora gives), and what a transfer costs at each; pure.
 */
export function bitcoinFeeEstimate(
  chain: { name: string; nativeDecimals: number },
  estimates: readonly BitcoinFeeEstimate[],
  priceUsd: string | null,
  observedAt: Date,
): FeeEstimate {
  if (estimates.length === 0) throw new RetryableError('The Esplora API gave no fee estimates; asking again later.');
  const nearest = (target: number) =>
    estimates.reduce((best, each) => (Math.abs(each.targetBlocks - target) < Math.abs(best.targetBlocks - target) ? each : best)).satPerVbyte;
  const rates = { slow: nearest(TARGETS.slow), normal: nearest(TARGETS.normal), fast: nearest(TARGETS.fast) };
  // Note: a rate is a quote with up to three decimals (1.011 sat/vB); the cost is whole satoshis, rounded up.
  const sats = (rate: number) => (BigInt(Math.round(rate * 1000)) * TRANSFER_VBYTES + 999n) / 1000n;
  return {
    chain: chain.name,
    unit: 'sat/vB',
    levels: mapLevels(rates, (rate) => String(rate)),
    baseFee: null,
    nativeUsd: priceUsd,
    costs: [
      {
        action: 'transfer',
        units: `${TRANSFER_VBYTES} vB`,
        ...costOf({ slow: sats(rates.slow), normal: sats(rates.normal), fast: sats(rates.fast) }, chain.nativeDecimals, priceUsd),
      },
    ],
    observedAt,
  };
}

import { RetryableError } from '../../errors/LookoutError.js';
import { createHttpApiClient } from '../createHttpApiClient.js';

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

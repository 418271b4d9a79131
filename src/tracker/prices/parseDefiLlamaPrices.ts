import { Rational } from '../pnl/Rational.js';
import { decimal, isObject } from './jsonValues.js';
import type { SourcePrice } from './PriceSource.js';
import { toPriceDecimal } from './toPriceDecimal.js';

/** Below this confidence DefiLlama's price is a guess from thin liquidity, not a price to value a trade at. */
export const MIN_DEFILLAMA_CONFIDENCE = '0.5';

/**
 * A DefiLlama coins answer (`/prices/current/…`, `/prices/historical/{unix}/…`), parsed with numbers as text:
 * `{"coins": {"base:0xabc…": {"price": 1.23, "symbol": "X", "timestamp": 1717000000, "confidence": 0.99, "decimals": 18}}}`.
 * Keyed by the coin as DefiLlama wrote it; entries without a positive price, a timestamp, or with a low
 * confidence are left out.
 */
export function parseDefiLlamaPrices(json: unknown): Map<string, SourcePrice> {
  const prices = new Map<string, SourcePrice>();
  const coins = isObject(json) ? json['coins'] : undefined;
  if (!isObject(coins)) return prices;
  const minConfidence = Rational.parse(MIN_DEFILLAMA_CONFIDENCE);
  for (const [coin, entry] of Object.entries(coins)) {
    if (!isObject(entry)) continue;
    const price = decimal(entry['price']);
    const seconds = decimal(entry['timestamp']);
    if (price === null || price.sign() <= 0 || seconds === null || seconds.sign() <= 0) continue;
    const confidence = decimal(entry['confidence']);
    if (confidence !== null && confidence.compare(minConfidence) < 0) continue;
    const ms = Number(seconds.num / seconds.den) * 1000;
    if (!Number.isSafeInteger(ms)) continue;
    prices.set(coin, { priceUsd: toPriceDecimal(price), observedAt: new Date(ms) });
  }
  return prices;
}

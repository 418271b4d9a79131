import { decimal, isObject } from './jsonValues.js';
import type { SourcePrice } from './PriceSource.js';
import { toPriceDecimal } from './toPriceDecimal.js';

/**
 * The point of a CoinGecko `/market_chart/range` answer nearest to `at`, parsed with numbers as text:
 * `{"prices": [[1717000000000, 3801.12], …], "market_caps": […], "total_volumes": […]}` (times in ms).
 * Null when no point with a positive price lies within `maxGapMs` of `at`.
 */
export function parseCoinGeckoMarketChart(json: unknown, at: Date, maxGapMs: number): SourcePrice | null {
  const points = isObject(json) && Array.isArray(json['prices']) ? json['prices'] : [];
  let best: { gap: number; price: SourcePrice } | null = null;
  for (const point of points) {
    if (!Array.isArray(point) || point.length < 2) continue;
    const ms = Number(point[0]);
    const price = decimal(point[1]);
    if (!Number.isSafeInteger(ms) || price === null || price.sign() <= 0) continue;
    const gap = Math.abs(ms - at.getTime());
    if (gap > maxGapMs || (best !== null && gap >= best.gap)) continue;
    best = { gap, price: { priceUsd: toPriceDecimal(price), observedAt: new Date(ms) } };
  }
  return best?.price ?? null;
}

/**
 * A CoinGecko `/simple/price?ids=…&vs_currencies=usd&include_last_updated_at=true` answer:
 * `{"ethereum": {"usd": 3801.12, "last_updated_at": 1717000000}}`, keyed by coin id. `fallbackTime` stands for
 * an entry without `last_updated_at`.
 */
export function parseCoinGeckoSimplePrices(json: unknown, fallbackTime: Date): Map<string, SourcePrice> {
  const prices = new Map<string, SourcePrice>();
  if (!isObject(json)) return prices;
  for (const [key, entry] of Object.entries(json)) {
    if (!isObject(entry)) continue;
    const price = decimal(entry['usd']);
    if (price === null || price.sign() <= 0) continue;
    const seconds = Number(entry['last_updated_at']);
    const observedAt = Number.isSafeInteger(seconds) && seconds > 0 ? new Date(seconds * 1000) : fallbackTime;
    prices.set(key, { priceUsd: toPriceDecimal(price), observedAt });
  }
  return prices;
}

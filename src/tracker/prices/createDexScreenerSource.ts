import type { PriceApiConfig } from '../../config/loadConfig.js';
import { fetchApiPrice } from './fetchApiPrice.js';
import type { PriceSource, SourcePrice } from './PriceSource.js';

/** DexScreener (`PRICE_API_URL`): current prices only, one token per request; its quotes carry no time, so "now". */
export function createDexScreenerSource(options: { api: PriceApiConfig; fetch?: typeof fetch | undefined; now?: () => Date }): PriceSource {
  const now = options.now ?? (() => new Date());
  return {
    name: 'dexscreener',
    async currentPrices(chain, assets) {
      const prices = new Map<string, SourcePrice>();
      for (const asset of new Set(assets)) {
        const price = await fetchApiPrice(options.api, chain, asset, { fetch: options.fetch });
        if (price) prices.set(asset, { priceUsd: price.priceUsd, observedAt: price.updatedAt ?? now() });
      }
      return prices;
    },
  };
}

import type { ChainConfig } from '../../config/chainPresets.js';
import type { PriceApiConfig } from '../../config/loadConfig.js';
import { NATIVE } from '../walletDeltas.js';
import { fetchPriceJson } from './fetchPriceJson.js';
import { parseCoinGeckoMarketChart, parseCoinGeckoSimplePrices } from './parseCoinGeckoPrices.js';
import { DEFAULT_MAX_HISTORY_GAP_MS, nativeCoinId, type PriceSource, type SourcePrice } from './PriceSource.js';

export type CoinGeckoSourceOptions = {
  api: PriceApiConfig;
  fetch?: typeof fetch | undefined;
  timeoutMs?: number | undefined;
  maxGapMs?: number | undefined;
  now?: () => Date;
};

const SETTINGS = 'PRICE_API_URL and PRICE_API_KEY';
const ADDRESSES_PER_REQUEST = 30;

/**
 * CoinGecko (with the key of `PRICE_API_*`): history through `/market_chart/range` by coin id (native coins)
 * or by platform and contract address, one asset per request; current prices through `/simple/price` and
 * `/simple/token_price/{platform}`, many per request.
 * Note: the chain's name is CoinGecko's platform id; `ethereum`, `base`, `sonic` and `solana` are the same.
 */
export function createCoinGeckoSource(options: CoinGeckoSourceOptions): PriceSource {
  const root = options.api.url.replace(/\/+$/, '');
  const maxGapMs = options.maxGapMs ?? DEFAULT_MAX_HISTORY_GAP_MS;
  const now = options.now ?? (() => new Date());
  const headers: Record<string, string> = {};
  // The Pro and the Demo plans take their keys under different headers; the Pro root names itself.
  if (options.api.key) headers[/pro-api\./i.test(root) ? 'x-cg-pro-api-key' : 'x-cg-demo-api-key'] = options.api.key;
  const get = (path: string, notFound: number[] = []) => fetchPriceJson(`${root}${path}`, 'CoinGecko', SETTINGS, { ...options, headers, notFound });

  /** The coin id of a native coin, or the contract path of a token; null when CoinGecko cannot be asked. */
  function coinPath(chain: ChainConfig, asset: string): string | null {
    if (asset !== NATIVE) return `/coins/${encodeURIComponent(chain.name)}/contract/${encodeURIComponent(asset)}`;
    const id = nativeCoinId(chain);
    if (id !== null) return `/coins/${encodeURIComponent(id)}`;
    return chain.wrappedNative === null ? null : `/coins/${encodeURIComponent(chain.name)}/contract/${encodeURIComponent(chain.wrappedNative)}`;
  }

  return {
    name: 'coingecko',
    async pricesAt(chain, assets, at) {
      const prices = new Map<string, SourcePrice>();
      const from = Math.floor((at.getTime() - maxGapMs) / 1000);
      const to = Math.ceil((at.getTime() + maxGapMs) / 1000);
      for (const asset of new Set(assets)) {
        const path = coinPath(chain, asset);
        if (path === null) continue;
        // A contract CoinGecko does not list answers 404: no price, not a failure.
        const json = await get(`${path}/market_chart/range?vs_currency=usd&from=${from}&to=${to}`, [404]);
        const price = json === null ? null : parseCoinGeckoMarketChart(json, at, maxGapMs);
        if (price) prices.set(asset, price);
      }
      return prices;
    },
    async currentPrices(chain, assets) {
      const prices = new Map<string, SourcePrice>();
      const tokens = new Set(assets.filter((asset) => asset !== NATIVE));
      if (assets.includes(NATIVE)) {
        const id = nativeCoinId(chain);
        if (id !== null) {
          const answer = parseCoinGeckoSimplePrices(await get(`/simple/price?ids=${encodeURIComponent(id)}&vs_currencies=usd&include_last_updated_at=true`), now());
          const price = answer.get(id);
          if (price) prices.set(NATIVE, price);
        } else if (chain.wrappedNative !== null) {
          tokens.add(chain.wrappedNative);
        }
      }
      const addresses = [...tokens];
      for (let i = 0; i < addresses.length; i += ADDRESSES_PER_REQUEST) {
        const chunk = addresses.slice(i, i + ADDRESSES_PER_REQUEST);
        const path = `/simple/token_price/${encodeURIComponent(chain.name)}?contract_addresses=${chunk.map(encodeURIComponent).join(',')}&vs_currencies=usd&include_last_updated_at=true`;
        const answer = parseCoinGeckoSimplePrices(await get(path), now());
        for (const address of chunk) {
          // Note: CoinGecko keys EVM contracts in lower case but keeps a Solana mint as it was asked.
          const price = answer.get(address) ?? answer.get(address.toLowerCase());
          if (!price) continue;
          prices.set(address === chain.wrappedNative && !assets.includes(address) ? NATIVE : address, price);
        }
      }
      return prices;
    },
  };
}

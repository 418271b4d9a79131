import type { ChainConfig } from '../../config/chainPresets.js';
import { NATIVE } from '../walletDeltas.js';
import { fetchPriceJson } from './fetchPriceJson.js';
import { parseDefiLlamaPrices } from './parseDefiLlamaPrices.js';
import { DEFAULT_MAX_HISTORY_GAP_MS, nativeCoinId, type PriceSource, type SourcePrice } from './PriceSource.js';

export type DefiLlamaSourceOptions = {
  /** The coins API root, https://coins.llama.fi by default (`DEFILLAMA_URL`). */
  url: string;
  fetch?: typeof fetch | undefined;
  timeoutMs?: number | undefined;
  maxGapMs?: number | undefined;
  now?: () => Date;
};

// Note: DefiLlama takes many coins per request, comma-separated in the path; chunks keep the URL short.
// Chain names and addresses are validated at configuration, so the coins go into the path as they are.
const COINS_PER_REQUEST = 60;

/**
 * DefiLlama's keyless coins API: current and historical prices of native coins (`coingecko:<id>`) and of
 * tokens by `chain:address`, many coins per request.
 */
export function createDefiLlamaSource(options: DefiLlamaSourceOptions): PriceSource {
  const root = options.url.replace(/\/+$/, '');
  const maxGapMs = options.maxGapMs ?? DEFAULT_MAX_HISTORY_GAP_MS;
  const minutes = Math.max(1, Math.round(maxGapMs / 60_000));
  // DefiLlama's searchWidth takes a number and a unit: 2h, 90m.
  const searchWidth = minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;

  async function ask(chain: ChainConfig, assets: readonly string[], path: (coins: string) => string): Promise<Map<string, SourcePrice>> {
    const coinOf = new Map<string, string>();
    for (const asset of assets) {
      const coin = defiLlamaCoin(chain, asset);
      if (coin !== null) coinOf.set(asset, coin);
    }
    const answered = new Map<string, SourcePrice>();
    const coins = [...new Set(coinOf.values())];
    for (let i = 0; i < coins.length; i += COINS_PER_REQUEST) {
      const chunk = coins.slice(i, i + COINS_PER_REQUEST).join(',');
      const json = await fetchPriceJson(`${root}${path(chunk)}`, 'DefiLlama', 'DEFILLAMA_URL', options);
      for (const [coin, price] of parseDefiLlamaPrices(json)) answered.set(coinKey(coin), price);
    }
    const prices = new Map<string, SourcePrice>();
    for (const [asset, coin] of coinOf) {
      const price = answered.get(coinKey(coin));
      if (price) prices.set(asset, price);
    }
    return prices;
  }

  return {
    name: 'defillama',
    async pricesAt(chain, assets, at) {
      const unix = Math.floor(at.getTime() / 1000);
      const prices = await ask(chain, assets, (coins) => `/prices/historical/${unix}/${coins}?searchWidth=${searchWidth}`);
      // Note: searchWidth already bounds the answer; checked again so that no price is used at the wrong time.
      for (const [asset, price] of prices) if (Math.abs(price.observedAt.getTime() - at.getTime()) > maxGapMs) prices.delete(asset);
      return prices;
    },
    currentPrices(chain, assets) {
      return ask(chain, assets, (coins) => `/prices/current/${coins}`);
    },
  };
}

/** DefiLlama's name of an asset: `coingecko:<id>` for a native coin, else `<chain>:<address>`; null when it has none. */
export function defiLlamaCoin(chain: Pick<ChainConfig, 'name' | 'nativeSymbol' | 'wrappedNative'>, asset: string): string | null {
  if (asset === NATIVE) {
    const id = nativeCoinId(chain);
    if (id !== null) return `coingecko:${id}`;
    return chain.wrappedNative === null ? null : `${chain.name}:${chain.wrappedNative}`;
  }
  return `${chain.name}:${asset}`;
}

/** EVM addresses may come back in another case; mints are case-sensitive and stay as they are. */
function coinKey(coin: string): string {
  const colon = coin.indexOf(':');
  const address = coin.slice(colon + 1);
  return address.startsWith('0x') ? coin.toLowerCase() : coin;
}

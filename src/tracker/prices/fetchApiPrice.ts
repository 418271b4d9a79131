import type { ChainConfig } from '../../config/chainPresets.js';
import type { PriceApiConfig } from '../../config/loadConfig.js';
import { NATIVE } from '../walletDeltas.js';
import { parseCoinGeckoTokenPrice, parseDexScreenerPrice, type ApiPrice } from './parseApiPrice.js';
import { fetchPriceJson } from './fetchPriceJson.js';

export type FetchApiPriceOptions = {
  /** The fetch to use; the global one by default. */
  fetch?: typeof fetch;
  timeoutMs?: number;
};

/**
 * The current USD price of a token (or of the native coin, through its wrapped form) from the configured
 * API. Null when the API does not know the token. Throws RetryableError when the API is unreachable, busy
 * or failing, and a LookoutError to stop asking when it refuses the request (a bad key, a bad URL).
 *
 * Note: the chain's name is used as the API's platform id (CoinGecko's `asset_platforms`, DexScreener's
 * `chainId`); `ethereum`, `base`, `sonic` and `solana` are the same in both. Prices keep every digit the
 * API sent: the JSON is parsed with numbers as text, never through a float.
 */
export async function fetchApiPrice(
  api: PriceApiConfig,
  chain: Pick<ChainConfig, 'name' | 'wrappedNative'>,
  asset: string,
  options: FetchApiPriceOptions = {},
): Promise<ApiPrice | null> {
  const address = asset === NATIVE ? chain.wrappedNative : asset;
  if (address === null) return null;
  const root = api.url.replace(/\/+$/, '');
  const platform = encodeURIComponent(chain.name);
  const token = encodeURIComponent(address);
  const headers: Record<string, string> = {};
  let url: string;
  if (api.kind === 'coingecko') {
    url = `${root}/simple/token_price/${platform}?contract_addresses=${token}&vs_currencies=usd&include_last_updated_at=true`;
    // The Pro and the Demo plans take their keys under different headers; the Pro root names itself.
    if (api.key) headers[/pro-api\./i.test(root) ? 'x-cg-pro-api-key' : 'x-cg-demo-api-key'] = api.key;
  } else {
    url = `${root}/latest/dex/tokens/${token}`;
  }

  const json = await fetchPriceJson(url, api.kind, 'PRICE_API_URL and PRICE_API_KEY', { ...options, headers });
  return api.kind === 'coingecko' ? parseCoinGeckoTokenPrice(json, address) : parseDexScreenerPrice(json, chain.name, address);
}

import type { LookoutConfig } from '../config/loadConfig.js';
import { exchangeQuoteAssets } from '../tracker/exchange/exchangeKinds.js';
import { positionKey } from '../tracker/pnl/positionKey.js';

/** Stablecoins are money; native and wrapped native are positions, so a buy of either shows in PnL. */
export function quoteAssetsOf(config: Pick<LookoutConfig, 'chains'>): Set<string> {
  const quoteAssets = new Set<string>();
  for (const chain of config.chains) for (const coin of chain.stablecoins) quoteAssets.add(positionKey(chain.name, coin));
  // Dollars and dollar stablecoins held on an exchange account are money too.
  for (const key of exchangeQuoteAssets()) quoteAssets.add(key);
  return quoteAssets;
}

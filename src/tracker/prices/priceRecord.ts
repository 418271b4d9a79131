import type { ChainConfig } from '../../config/chainPresets.js';
import { decimalsKnown } from '../../db/tokenQueries.js';
import type { TokenInfo } from '../createTokenRegistry.js';
import type { TradeRecord } from '../tradeRecord.js';
import { NATIVE } from '../walletDeltas.js';
import type { PriceService } from './createPriceService.js';

/** A record with its USD value and its base token's price, when a price service is given and the trade counts. */
export async function priceRecord(
  prices: PriceService | undefined,
  chain: ChainConfig,
  record: TradeRecord,
  tokens: ReadonlyMap<string, TokenInfo>,
): Promise<TradeRecord> {
  if (!prices || record.isSpam || record.failed) return record;
  const decimals = new Map<string, { decimals: number; isStablecoin: boolean }>([
    [NATIVE, { decimals: chain.nativeDecimals, isStablecoin: false }],
  ]);
  for (const [asset, token] of tokens) {
    // Note: a token whose decimals are a placeholder gets no price per unit, which would be off by powers of ten.
    if (decimalsKnown(token)) decimals.set(asset, { decimals: token.decimals, isStablecoin: token.isStablecoin });
  }
  const price = await prices.priceTrade(record, decimals, chain.name);
  // Kept so that a later token-for-token swap of this token can be valued through it.
  if (price.priceUsd !== null && record.base && record.blockTime && (record.kind === 'buy' || record.kind === 'sell' || record.kind === 'swap')) {
    await prices.recordTradePrice(chain.name, record.base.asset, price.priceUsd, record.blockNumber, record.blockTime);
  }
  return { ...record, usdValue: price.usdValue ?? record.usdValue, priceUsd: price.priceUsd };
}

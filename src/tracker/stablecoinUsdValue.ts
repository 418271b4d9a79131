import type { TokenInfo } from './createTokenRegistry.js';
import { toDecimalString } from './formatAmount.js';
import type { TradeRecord } from './tradeRecord.js';

/**
 * The USD value of a trade from its own stablecoin leg, taking a stablecoin at one dollar: the quote of
 * a buy or sell, or the asset of a transfer. Null when no leg is a stablecoin, so that another price
 * source (or "unpriced") decides, never $0.
 */
export function stablecoinUsdValue(
  record: Pick<TradeRecord, 'base' | 'quote'>,
  tokens: ReadonlyMap<string, Pick<TokenInfo, 'isStablecoin' | 'decimals'>>,
): string | null {
  for (const leg of [record.quote, record.base]) {
    if (!leg) continue;
    const token = tokens.get(leg.asset);
    if (token?.isStablecoin) return toDecimalString(leg.amount, token.decimals);
  }
  return null;
}

import { Rational } from '../pnl/Rational.js';
import { toPriceDecimal } from './toPriceDecimal.js';

/** A token's current USD price as an external API reports it. */
export type ApiPrice = {
  priceUsd: string;
  /** When the API says the price was last updated; null when it does not say. */
  updatedAt: Date | null;
};

/**
 * A CoinGecko `/simple/token_price/{platform}` answer, parsed with numbers as text:
 * `{"0xabc…": {"usd": 1.23, "last_updated_at": 1717000000}}`. Null when the token is not in it.
 */
export function parseCoinGeckoTokenPrice(json: unknown, address: string): ApiPrice | null {
  if (!isObject(json)) return null;
  // Note: CoinGecko keys EVM contracts in lower case but keeps a Solana mint as it was asked.
  const entry = json[address] ?? json[address.toLowerCase()];
  if (!isObject(entry)) return null;
  const priceUsd = positiveDecimal(entry['usd']);
  if (priceUsd === null) return null;
  const updated = entry['last_updated_at'];
  const seconds = typeof updated === 'string' || typeof updated === 'number' ? Number(updated) : Number.NaN;
  return { priceUsd, updatedAt: Number.isSafeInteger(seconds) && seconds > 0 ? new Date(seconds * 1000) : null };
}

/**
 * A DexScreener `/latest/dex/tokens/{address}` answer: the USD price of the deepest pair on `chainId`
 * where the token is the base (a pair where it is the quote prices the other token). Null when none.
 */
export function parseDexScreenerPrice(json: unknown, chainId: string, address: string): ApiPrice | null {
  const pairs = isObject(json) && Array.isArray(json['pairs']) ? json['pairs'] : [];
  let best: { priceUsd: string; liquidity: Rational } | null = null;
  for (const pair of pairs) {
    if (!isObject(pair) || pair['chainId'] !== chainId) continue;
    const base = pair['baseToken'];
    if (!isObject(base) || !sameAddress(base['address'], address)) continue;
    const priceUsd = positiveDecimal(pair['priceUsd']);
    if (priceUsd === null) continue;
    const liquidity = decimalOrZero(isObject(pair['liquidity']) ? pair['liquidity']['usd'] : undefined);
    if (best === null || liquidity.compare(best.liquidity) > 0) best = { priceUsd, liquidity };
  }
  // DexScreener says nothing of when a pair's price last moved.
  return best && { priceUsd: best.priceUsd, updatedAt: null };
}

function sameAddress(value: unknown, address: string): boolean {
  if (typeof value !== 'string') return false;
  // EVM addresses come back checksummed; base58 mints are case-sensitive and compare exactly.
  return address.startsWith('0x') ? value.toLowerCase() === address.toLowerCase() : value === address;
}

/** A JSON number's text (or a decimal string) as a normalised positive decimal; null for anything else. */
function positiveDecimal(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  try {
    const parsed = Rational.parse(String(value));
    return parsed.sign() > 0 ? toPriceDecimal(parsed) : null;
  } catch {
    return null;
  }
}

function decimalOrZero(value: unknown): Rational {
  if (typeof value !== 'string' && typeof value !== 'number') return Rational.ZERO;
  try {
    return Rational.parse(String(value));
  } catch {
    return Rational.ZERO;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { NATIVE, type TradeKind } from './walletDeltas.js';

/** The assets that price trades on one chain. `NATIVE` is always one of them. */
export type QuoteAssets = {
  /** First-rank quotes: a trade against one of them is priced from it directly. */
  stablecoins: readonly string[];
  /** The wrapped native coin; it and `NATIVE` are one quote family of the second rank. */
  wrappedNative: string | null;
  /**
   * `NATIVE` movements no larger than this (raw units) are costs of a trade, such as a Solana token
   * account's rent or a tip, rather than a leg that names it. Defaults to 0n: every movement counts.
   */
  nativeDust?: bigint;
};

/** One asset that moved one way; `amount` is positive. */
export type Leg = { asset: string; amount: bigint };

/** What a wallet's deltas amount to. `base` and `quote` are set for buy, sell and swap only. */
export type TradeClassification = {
  kind: TradeKind;
  sent: Leg[];
  received: Leg[];
  /** The asset bought, sold, or received in a swap. */
  base: string | null;
  /** The asset paid or received for `base`, or given up in a swap. */
  quote: string | null;
};

/** Assets that count as one on a side of a trade: a single asset, or the native family. */
type Family = {
  /** 2 for a stablecoin, 1 for the native family, 0 for any other token. */
  rank: number;
  /** The member that moved most, which names the family in `base` or `quote`. */
  asset: string;
  amount: bigint;
};

const STABLECOIN_RANK = 2;
const NATIVE_RANK = 1;
const TOKEN_RANK = 0;

/**
 * Names what a wallet did from its deltas (asset → signed raw amount, fee excluded).
 *
 * A trade is one family out and one family in; the side with the higher-ranked quote is the
 * quote (stablecoins, then the native family, then tokens), so USDC out and ETH in is a buy of ETH.
 * Refunds: a refund in the paid asset is already netted in the deltas; a refund in the other member
 * of the native family (WETH back when ETH was paid) is netted here, so a buy stays a buy while the
 * family is still paid out; `NATIVE` up to `nativeDust` is ignored on either side. A refund in an
 * unrelated quote cannot be told from a second asset without prices, so it makes the trade `other`.
 */
export function classifyTrade(deltas: ReadonlyMap<string, bigint>, quotes: QuoteAssets): TradeClassification {
  const sent = legsOf(deltas, -1n);
  const received = legsOf(deltas, 1n);
  const result = (kind: TradeKind, base: string | null = null, quote: string | null = null): TradeClassification => ({
    kind,
    sent,
    received,
    base,
    quote,
  });

  if (sent.length === 0) return result(received.length === 0 ? 'other' : 'transfer_in');
  if (received.length === 0) return result('transfer_out');

  const [paid, got] = withoutNativeDust(sent, received, quotes.nativeDust ?? 0n);
  const wrapped = quotes.wrappedNative === null ? null : assetKey(quotes.wrappedNative);
  if (wrapped !== null && isOnly(paid, NATIVE) && isOnly(got, wrapped)) return result('wrap');
  if (wrapped !== null && isOnly(paid, wrapped) && isOnly(got, NATIVE)) return result('unwrap');

  const [out, into] = nettedFamilies(paid, got, rankerOf(quotes, wrapped));
  if (out.length !== 1 || into.length !== 1) return result('other');
  const [given, taken] = [out[0]!, into[0]!];
  if (given.rank === taken.rank) return result('swap', taken.asset, given.asset);
  return given.rank > taken.rank ? result('buy', taken.asset, given.asset) : result('sell', given.asset, taken.asset);
}

function legsOf(deltas: ReadonlyMap<string, bigint>, sign: 1n | -1n): Leg[] {
  return [...deltas]
    .filter(([, amount]) => amount * sign > 0n)
    .map(([asset, amount]) => ({ asset, amount: amount * sign }));
}

// Dust is dropped only when both sides keep a leg: a lone small NATIVE leg is the trade itself.
function withoutNativeDust(sent: Leg[], received: Leg[], dust: bigint): [Leg[], Leg[]] {
  const isDust = (leg: Leg): boolean => leg.asset === NATIVE && leg.amount <= dust;
  const paid = sent.filter((leg) => !isDust(leg));
  const got = received.filter((leg) => !isDust(leg));
  return paid.length > 0 && got.length > 0 ? [paid, got] : [sent, received];
}

function isOnly(legs: readonly Leg[], asset: string): boolean {
  return legs.length === 1 && assetKey(legs[0]!.asset) === asset;
}

function rankerOf(quotes: QuoteAssets, wrapped: string | null): (asset: string) => { key: string; rank: number } {
  const stablecoins = new Set(quotes.stablecoins.map(assetKey));
  return (asset) => {
    const key = assetKey(asset);
    if (key === NATIVE || key === wrapped) return { key: NATIVE, rank: NATIVE_RANK };
    return { key, rank: stablecoins.has(key) ? STABLECOIN_RANK : TOKEN_RANK };
  };
}

/** Groups each side into families, then nets a family found on both sides into the side it moved to. */
function nettedFamilies(
  paid: readonly Leg[],
  got: readonly Leg[],
  rankOf: (asset: string) => { key: string; rank: number },
): [Family[], Family[]] {
  const out = familiesOf(paid, rankOf);
  const into = familiesOf(got, rankOf);
  for (const [key, given] of [...out]) {
    const taken = into.get(key);
    if (taken === undefined) continue;
    out.delete(key);
    into.delete(key);
    if (given.amount > taken.amount) out.set(key, { ...given, amount: given.amount - taken.amount });
    if (taken.amount > given.amount) into.set(key, { ...taken, amount: taken.amount - given.amount });
  }
  return [[...out.values()], [...into.values()]];
}

function familiesOf(legs: readonly Leg[], rankOf: (asset: string) => { key: string; rank: number }): Map<string, Family> {
  const families = new Map<string, Family>();
  // Largest first, so the first member seen is the one that names its family.
  for (const leg of [...legs].sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1))) {
    const { key, rank } = rankOf(leg.asset);
    const family = families.get(key);
    const amount = (family?.amount ?? 0n) + leg.amount;
    families.set(key, { rank, asset: family?.asset ?? leg.asset, amount });
  }
  return families;
}

// EVM addresses may arrive checksummed from configuration; Solana mints are case-sensitive and kept as they are.
function assetKey(asset: string): string {
  return /^0x[0-9a-fA-F]{40}$/.test(asset) ? asset.toLowerCase() : asset;
}

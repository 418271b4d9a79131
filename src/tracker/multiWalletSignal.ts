import { Rational } from './pnl/Rational.js';

/** A group route's signal setting: `minWallets` of its wallets buying one token within `windowSeconds`. */
export type SignalSettings = { minWallets: number; windowSeconds: number };

/** What a group route gets when its signal is not set: three wallets within an hour. */
export const DEFAULT_SIGNAL: SignalSettings = { minWallets: 3, windowSeconds: 3_600 };

/** One stored buy of the token by a wallet of the group; `time` is its block time. */
export type SignalBuy = { tradeId: number; wallet: string; time: Date; amount: bigint; usd: string | null };

/** One wallet of a signal: what it bought in the window, in raw units, and its USD value (null when a buy was unpriced). */
export type SignalWallet = { wallet: string; tradeIds: number[]; firstAt: Date; amount: bigint; usd: string | null };
type Summing = SignalWallet & { priced: string[] | null };

export type SignalDecision = { windowStart: Date; windowEnd: Date; wallets: SignalWallet[] };

/**
 * Decides whether a new buy raises the group's signal for its token. Windows never overlap: while a previous
 * signal's window (`previousStart` + T) is open, nothing new is raised, and a new window counts only buys
 * from the end of the previous one. Within [t − T, t] (t: the new buy's time), the distinct wallets of the
 * group that bought are counted; at `minWallets` or more a signal is raised, its window starting at the
 * first counted buy, so one burst raises one signal. Pure: the buys come loaded.
 */
export function decideSignal(input: {
  buyTime: Date;
  /** The group's buys of the token around the new buy, the new buy included. */
  buys: readonly SignalBuy[];
  /** Where the latest signal of this route, group and token started; null when there was none. */
  previousStart: Date | null;
  settings: SignalSettings;
}): SignalDecision | null {
  const windowMs = input.settings.windowSeconds * 1_000;
  const t = input.buyTime.getTime();
  const previousEnd = input.previousStart === null ? null : input.previousStart.getTime() + windowMs;
  if (previousEnd !== null && t < previousEnd) return null;
  const from = Math.max(t - windowMs, previousEnd ?? -Infinity);
  const counted = input.buys.filter((buy) => buy.time.getTime() >= from && buy.time.getTime() <= t);
  const wallets = walletsOf(counted);
  if (wallets.length < input.settings.minWallets) return null;
  const start = Math.min(...counted.map((buy) => buy.time.getTime()));
  return { windowStart: new Date(start), windowEnd: new Date(start + windowMs), wallets };
}

/** The buys summed per wallet, in the order the wallets first bought. */
export function walletsOf(buys: readonly SignalBuy[]): SignalWallet[] {
  const byWallet = new Map<string, Summing>();
  const ordered = [...buys].sort((a, b) => a.time.getTime() - b.time.getTime() || a.tradeId - b.tradeId);
  for (const buy of ordered) {
    const seen = byWallet.get(buy.wallet);
    if (!seen) {
      byWallet.set(buy.wallet, { wallet: buy.wallet, tradeIds: [buy.tradeId], firstAt: buy.time, amount: buy.amount, usd: null, priced: buy.usd === null ? null : [buy.usd] });
      continue;
    }
    seen.tradeIds.push(buy.tradeId);
    seen.amount += buy.amount;
    // Note: one unpriced buy leaves the wallet's sum unknown rather than understated.
    seen.priced = seen.priced === null || buy.usd === null ? null : [...seen.priced, buy.usd];
  }
  return [...byWallet.values()].map(({ priced, ...wallet }) => ({ ...wallet, usd: priced === null ? null : sumDecimals(priced) }));
}

/** The exact sum of decimal strings, with no more fraction digits than the longest of them. */
export function sumDecimals(values: readonly string[]): string {
  const digits = Math.max(0, ...values.map((value) => value.split('.')[1]?.length ?? 0));
  return values.reduce((sum, value) => sum.add(Rational.parse(value)), Rational.ZERO).toDecimalString(digits);
}

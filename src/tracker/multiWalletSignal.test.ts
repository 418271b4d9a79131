import { describe, expect, it } from 'vitest';
import { decideSignal, sumDecimals, walletsOf, type SignalBuy } from './multiWalletSignal.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
let nextId = 1;
const buy = (wallet: string, minutes: number, amount = 100n, usd: string | null = '10'): SignalBuy => ({ tradeId: nextId++, wallet, time: at(minutes), amount, usd });
const settings = { minWallets: 3, windowSeconds: 3_600 };

/** Feeds buys one by one as storage does, keeping each raised signal's start; returns the signals raised. */
function replay(buys: SignalBuy[], config = settings): { start: Date; wallets: string[] }[] {
  const raised: { start: Date; wallets: string[] }[] = [];
  const stored: SignalBuy[] = [];
  for (const next of buys) {
    stored.push(next);
    const windowMs = config.windowSeconds * 1_000;
    const around = stored.filter((candidate) => candidate.time.getTime() >= next.time.getTime() - windowMs && candidate.time <= next.time);
    const previousStart = raised.length ? raised[raised.length - 1]!.start : null;
    const decision = decideSignal({ buyTime: next.time, buys: around, previousStart, settings: config });
    if (decision) raised.push({ start: decision.windowStart, wallets: decision.wallets.map((wallet) => wallet.wallet) });
  }
  return raised;
}

describe('decideSignal', () => {
  it('behavior: the third distinct wallet within the window raises one signal anchored at the first buy', () => {
    expect(replay([buy('a', 0), buy('b', 10), buy('c', 20)])).toEqual([{ start: at(0), wallets: ['a', 'b', 'c'] }]);
  });

  it('behavior: the same wallet buying three times is one wallet and raises nothing', () => {
    expect(replay([buy('a', 0), buy('a', 1), buy('a', 2)])).toEqual([]);
  });

  it('behavior: a fourth wallet inside the window raises no second signal', () => {
    expect(replay([buy('a', 0), buy('b', 1), buy('c', 2), buy('d', 30), buy('e', 59)])).toHaveLength(1);
  });

  it('behavior: buys spread wider than the window never reach the minimum', () => {
    expect(replay([buy('a', 0), buy('b', 40), buy('c', 81)])).toEqual([]);
  });

  it('behavior: after the window ends, the old burst does not count again; three new buys raise a new signal', () => {
    const signals = replay([buy('a', 0), buy('b', 1), buy('c', 2), buy('d', 61), buy('a', 62), buy('b', 63)]);
    expect(signals).toEqual([
      { start: at(0), wallets: ['a', 'b', 'c'] },
      { start: at(61), wallets: ['d', 'a', 'b'] },
    ]);
  });

  it('behavior: a buy exactly at the end of the previous window starts the next one', () => {
    const signals = replay([buy('a', 0), buy('b', 0), buy('c', 0), buy('a', 60), buy('b', 60), buy('c', 60)]);
    expect(signals.map((signal) => signal.start)).toEqual([at(0), at(60)]);
  });

  it('behavior: two wallets within a window of one minute and a minimum of two', () => {
    expect(replay([buy('a', 0), buy('b', 2), buy('c', 2.5)], { minWallets: 2, windowSeconds: 60 })).toEqual([{ start: at(2), wallets: ['b', 'c'] }]);
  });
});

describe('walletsOf', () => {
  it('behavior: sums each wallet\'s buys exactly, in the order the wallets first bought', () => {
    const wallets = walletsOf([buy('b', 5, 2n, '0.1'), buy('a', 1, 10n ** 30n, '1.005'), buy('b', 7, 3n, '0.2')]);
    expect(wallets.map((wallet) => [wallet.wallet, wallet.amount, wallet.usd])).toEqual([
      ['a', 10n ** 30n, '1.005'],
      ['b', 5n, '0.3'],
    ]);
  });

  it('behavior: one unpriced buy leaves the wallet unpriced rather than understated', () => {
    expect(walletsOf([buy('a', 0, 1n, '5'), buy('a', 1, 1n, null)])[0]!.usd).toBeNull();
    expect(walletsOf([buy('a', 0, 1n, null), buy('a', 1, 1n, '5')])[0]!.usd).toBeNull();
  });
});

describe('sumDecimals', () => {
  it('behavior: adds decimal strings exactly, keeping the longest fraction', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['8250', '120.123456789012345678901', '0.000000000000000000001'])).toBe('8370.123456789012345678902');
    expect(sumDecimals([])).toBe('0');
  });
});

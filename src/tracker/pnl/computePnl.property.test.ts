import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../../test/support/seededRandom.js';
import { NATIVE, type TradeKind } from '../walletDeltas.js';
import { computePnl } from './computePnl.js';
import { positionKey } from './positionKey.js';
import { Rational } from './Rational.js';
import type { PnlLeg, PnlMethod, PnlPrice, PnlTrade, PnlWindow } from './types.js';
import { windowStart } from './windowStart.js';

const CHAIN = 'base';
const USDC = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
const WETH = '0x4200000000000000000000000000000000000006';
const ASSETS = [
  { asset: '0x00000000000000000000000000000000000000aa', decimals: 18 },
  { asset: '0x00000000000000000000000000000000000000bb', decimals: 6 },
  { asset: '0x00000000000000000000000000000000000000cc', decimals: 9 },
  { asset: NATIVE, decimals: 18 },
  { asset: WETH, decimals: 18 },
];
const ALICE = '0x1111111111111111111111111111111111111111';
const BOB = '0x2222222222222222222222222222222222222222';
const STRANGER = '0x9999999999999999999999999999999999999999';
const NOW = new Date('2025-06-01T12:00:00Z');
const DAY_MS = 86_400_000;
const WINDOWS: PnlWindow[] = ['all', '30d', '7d', '24h'];

/** A generated history, with what an independent count expects of any report on it. */
type Generated = {
  trades: PnlTrade[];
  prices: Map<string, PnlPrice>;
  window: PnlWindow;
  feesInBasis: boolean;
  /** Raw amount held per asset index at `now`, a sale beyond what is held leaving nothing. */
  held: bigint[];
  /** In the window: all sale proceeds (known and unknown cost), all purchase costs, fees, unpriced trades. */
  expected: { proceeds: Rational; bought: Rational; fees: Rational; unpriced: number };
};

// Note: the generator keeps its own book of amounts and money flows, so the checks below compare
// the engine with a count that does not share its code.
function generate(seed: number): Generated {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const chance = (p: number) => random() < p;
  const window = WINDOWS[pick(WINDOWS.length)]!;
  const feesInBasis = chance(0.5);
  const since = windowStart(window, NOW);
  const rawAmount = () => BigInt(1 + pick(1_000_000)) * 10n ** BigInt(pick(19));
  const usd = () => `${pick(100_000)}.${String(pick(1_000_000)).padStart(6, '0')}`;
  const leg = (index: number, amount: bigint): PnlLeg => ({ asset: ASSETS[index]!.asset, symbol: null, decimals: ASSETS[index]!.decimals, amount });
  const usdcLeg = (amount: bigint): PnlLeg => ({ asset: USDC, symbol: 'USDC', decimals: 6, amount });
  const held = ASSETS.map(() => 0n);
  const expected = { proceeds: Rational.ZERO, bought: Rational.ZERO, fees: Rational.ZERO, unpriced: 0 };
  const trades: PnlTrade[] = [];
  // Some trades fall after `now` and must be left out.
  const steps = 70;
  for (let step = 0; step < steps; step++) {
    const time = new Date(NOW.getTime() - (60 - step) * DAY_MS + pick(DAY_MS / 2));
    const counted = time <= NOW;
    const inWindow = counted && (since === null || time >= since);
    const wallet = chance(0.5) ? ALICE : BOB;
    const other = wallet === ALICE ? BOB : ALICE;
    const base = { tx: `0xtx${step}`, time, chain: CHAIN, counterparty: null, manual: false, feeUnpriced: false };
    const add = (kind: TradeKind, legs: PnlLeg[], value: string | null, extra: Partial<PnlTrade> = {}) =>
      trades.push({ id: `t${trades.length}`, ...base, wallet, kind, legs, usd: value, feeUsd: null, ...extra });
    const removeHeld = (index: number, amount: bigint) => {
      if (counted) held[index] = held[index]! > amount ? held[index]! - amount : 0n;
    };
    const addHeld = (index: number, amount: bigint) => {
      if (counted) held[index]! += amount;
    };
    // Sometimes more than is held, to sell or unwrap beyond what the history shows.
    const outAmount = (index: number) => (held[index] === 0n || chance(0.1) ? rawAmount() : 1n + BigInt(pick(1 << 20)) * held[index]! / BigInt(1 << 20));

    const choice = random();
    if (choice < 0.45) {
      // A buy, sell or swap: one position in, one out, or both; priced or not; with a fee or not.
      const into = chance(0.7) ? pick(ASSETS.length) : null;
      let from = chance(into === null ? 1 : 0.4) ? pick(ASSETS.length) : null;
      if (from === into) from = null;
      const legs: PnlLeg[] = [];
      const bought = into === null ? 0n : rawAmount();
      const sold = from === null ? 0n : outAmount(from);
      if (into !== null) legs.push(leg(into, bought));
      if (from !== null) legs.push(leg(from, -sold));
      const priced = chance(0.8);
      const value = priced ? usd() : null;
      if (from === null || into === null) legs.push(usdcLeg(into === null ? 1_000_000n : -1_000_000n));
      const fee = chance(0.6) ? usd().slice(0, 6) : null;
      const kind: TradeKind = from !== null && into !== null ? 'swap' : into !== null ? 'buy' : 'sell';
      add(kind, legs, value, { feeUsd: fee, feeUnpriced: fee === null && chance(0.3) });
      if (into !== null) addHeld(into, bought);
      if (from !== null) removeHeld(from, sold);
      if (!inWindow) continue;
      if (!priced) {
        expected.unpriced += 1;
        continue;
      }
      const amount = Rational.parse(value!);
      const feeUsd = feesInBasis && fee !== null ? Rational.parse(fee) : Rational.ZERO;
      expected.fees = expected.fees.add(feeUsd);
      if (into !== null) expected.bought = expected.bought.add(amount.add(feeUsd));
      if (from !== null) expected.proceeds = expected.proceeds.add(into === null ? amount.sub(feeUsd) : amount);
    } else if (choice < 0.5) {
      // Two tokens bought at once: one USD value that cannot be split.
      const first = pick(3);
      const second = (first + 1) % 3;
      const [a, b] = [rawAmount(), rawAmount()];
      add('buy', [leg(first, a), leg(second, b), usdcLeg(-5n)], usd());
      addHeld(first, a);
      addHeld(second, b);
      if (inWindow) expected.unpriced += 1;
    } else if (choice < 0.62) {
      const index = pick(ASSETS.length);
      const amount = rawAmount();
      add('transfer_in', [leg(index, amount)], null, { counterparty: STRANGER });
      addHeld(index, amount);
    } else if (choice < 0.72) {
      const index = pick(ASSETS.length);
      const amount = outAmount(index);
      add('transfer_out', [leg(index, -amount)], null, { counterparty: STRANGER });
      removeHeld(index, amount);
    } else if (choice < 0.84) {
      // A move between the two wallets of the scope, named by counterparty or paired by transaction.
      const index = pick(ASSETS.length);
      const amount = held[index]! > 0n ? held[index]! : rawAmount();
      const named = chance(0.5);
      add('transfer_out', [leg(index, -amount)], null, { counterparty: named ? other : null });
      trades.push({ id: `t${trades.length}`, ...base, wallet: other, kind: 'transfer_in', legs: [leg(index, amount)], usd: null, feeUsd: null, counterparty: named ? wallet : null });
    } else if (choice < 0.94) {
      const wrap = chance(0.5);
      const [from, into] = wrap ? [3, 4] : [4, 3];
      const amount = outAmount(from);
      add(wrap ? 'wrap' : 'unwrap', [leg(from, -amount), leg(into, amount)], null);
      removeHeld(from, amount);
      addHeld(into, amount);
    } else {
      const index = pick(3);
      const amount = outAmount(index);
      const gained = rawAmount();
      add('other', [leg(index, -amount), leg((index + 1) % 3, gained)], chance(0.5) ? usd() : null);
      removeHeld(index, amount);
      addHeld((index + 1) % 3, gained);
    }
  }
  const prices = new Map<string, PnlPrice>();
  const nativePrice = `${pick(10_000)}.${pick(1000)}`;
  for (const { asset } of ASSETS) {
    if (!chance(0.7)) continue;
    const price = asset === NATIVE || asset === WETH ? nativePrice : `0.${String(pick(1_000_000_000)).padStart(9, '0')}${pick(1000)}`;
    prices.set(positionKey(CHAIN, asset), { priceUsd: price, at: NOW });
  }
  return { trades, prices, window, feesInBasis, held, expected };
}

describe('computePnl: the priced part adds up on generated histories', () => {
  const SEEDS = 300;

  test('behavior: realized + unrealized = proceeds + value - invested exactly, with unpriced legs, unknown basis, transfers, wraps and fees, FIFO and average', () => {
    const seen = { unknownProceeds: 0, unknownBasis: 0, unpriced: 0, leftAtCost: 0, heldAtCost: 0, carriedIn: 0 };
    for (let seed = 1; seed <= SEEDS; seed++) {
      const generated = generate(seed);
      for (const method of ['fifo', 'average'] as PnlMethod[]) {
        const label = `seed ${seed} ${method} ${generated.window}`;
        const report = computePnl({
          trades: generated.trades,
          method,
          window: generated.window,
          now: NOW,
          prices: generated.prices,
          scopeWallets: new Set([ALICE, BOB]),
          quoteAssets: new Set([positionKey(CHAIN, USDC)]),
          feesInBasis: generated.feesInBasis,
        });
        const left = report.realizedUsd.add(report.unrealizedUsd);
        const right = report.proceedsUsd.add(report.valueUsd).sub(report.investedUsd);
        expect(left.toString(), label).toBe(right.toString());
        expect(report.investedUsd.toString(), label).toBe(report.carriedInUsd.add(report.boughtUsd).sub(report.leftAtCostUsd).toString());
        // Every sale's proceeds are either measured or reported apart, never dropped.
        expect(report.proceedsUsd.add(report.unknownProceedsUsd).toString(), label).toBe(generated.expected.proceeds.toString());
        expect(report.boughtUsd.toString(), label).toBe(generated.expected.bought.toString());
        expect(report.feesUsd.toString(), label).toBe(generated.expected.fees.toString());
        expect(report.unpricedTrades, label).toBe(generated.expected.unpriced);
        for (const [index, { asset }] of ASSETS.entries()) {
          const position = report.positions.find((row) => row.token === asset);
          expect(position?.amount ?? 0n, `${label} ${asset}`).toBe(generated.held[index]);
        }
        for (const entry of report.unknownBasis) {
          const { received, unpriced, unseen } = entry.byOrigin;
          expect(received + unpriced + unseen, label).toBe(entry.amount);
        }
        seen.unknownProceeds += report.unknownProceedsUsd.isZero() ? 0 : 1;
        seen.unknownBasis += report.unknownBasis.length > 0 ? 1 : 0;
        seen.unpriced += report.unpricedTrades > 0 ? 1 : 0;
        seen.leftAtCost += report.leftAtCostUsd.isZero() ? 0 : 1;
        seen.heldAtCost += report.heldAtCostUsd.isZero() ? 0 : 1;
        seen.carriedIn += report.carriedInUsd.isZero() ? 0 : 1;
      }
    }
    // The generator reaches every case the identity has to survive.
    for (const [name, count] of Object.entries(seen)) expect(count, name).toBeGreaterThan(SEEDS / 10);
  });
});

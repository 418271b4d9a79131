import { describe, expect, test } from 'vitest';
import { NATIVE, type TradeKind } from '../walletDeltas.js';
import { seededRandom } from '../../../test/support/seededRandom.js';
import { computePnl } from './computePnl.js';
import { positionKey } from './positionKey.js';
import { Rational } from './Rational.js';
import type { PnlInput, PnlLeg, PnlMethod, PnlPrice, PnlReport, PnlTrade } from './types.js';

const CHAIN = 'base';
const TOK = '0x00000000000000000000000000000000000000aa';
const TOK2 = '0x00000000000000000000000000000000000000bb';
const USDC = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
const WETH = '0x4200000000000000000000000000000000000006';
const ALICE = '0x1111111111111111111111111111111111111111';
const BOB = '0x2222222222222222222222222222222222222222';
const STRANGER = '0x9999999999999999999999999999999999999999';

const NOW = new Date('2025-06-01T12:00:00Z');
const DAY_MS = 86_400_000;
const QUOTES = new Set([positionKey(CHAIN, USDC), positionKey(CHAIN, NATIVE), positionKey(CHAIN, WETH)]);

const r = (text: string) => Rational.parse(text);
/** Whole units of an 18-decimals token as a raw amount. */
const units = (whole: bigint | number) => BigInt(whole) * 10n ** 18n;
const usdc = (whole: number | string) => Rational.parse(String(whole)).toRaw(6);

const tok = (amount: bigint): PnlLeg => ({ asset: TOK, symbol: 'TOK', decimals: 18, amount });
const tok2 = (amount: bigint): PnlLeg => ({ asset: TOK2, symbol: 'TWO', decimals: 18, amount });
const usdcLeg = (amount: bigint): PnlLeg => ({ asset: USDC, symbol: 'USDC', decimals: 6, amount });
const nativeLeg = (amount: bigint): PnlLeg => ({ asset: NATIVE, symbol: 'ETH', decimals: 18, amount });
const wethLeg = (amount: bigint): PnlLeg => ({ asset: WETH, symbol: 'WETH', decimals: 18, amount });

type TradeOptions = { wallet?: string; counterparty?: string | null; tx?: string; daysAgo?: number; feeUsd?: string };

/** Builds trades one day apart, oldest first, unless a trade says how many days ago it was. */
function history() {
  const trades: PnlTrade[] = [];
  const add = (kind: TradeKind, legs: PnlLeg[], usd: string | null, options: TradeOptions = {}) => {
    const index = trades.length;
    const daysAgo = options.daysAgo ?? 300 - index;
    trades.push({
      id: `trade-${index}`,
      tx: options.tx ?? `0xtx${index}`,
      time: new Date(NOW.getTime() - daysAgo * DAY_MS),
      chain: CHAIN,
      wallet: options.wallet ?? ALICE,
      kind,
      legs,
      usd,
      counterparty: options.counterparty ?? null,
      feeUsd: options.feeUsd ?? null,
      feeUnpriced: false,
      manual: false,
    });
  };
  return {
    trades,
    buy: (legs: PnlLeg, usd: string | null, options?: TradeOptions) =>
      add('buy', [legs, usdcLeg(-usdc(usd ?? 0))], usd, options),
    sell: (legs: PnlLeg, usd: string | null, options?: TradeOptions) =>
      add('sell', [legs, usdcLeg(usdc(usd ?? 0))], usd, options),
    add,
  };
}

function run(trades: PnlTrade[], overrides: Partial<PnlInput> = {}): PnlReport {
  return computePnl({
    trades,
    method: 'fifo',
    window: 'all',
    now: NOW,
    prices: new Map<string, PnlPrice>(),
    scopeWallets: new Set([ALICE]),
    quoteAssets: QUOTES,
    feesInBasis: false,
    ...overrides,
  });
}

const prices = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([asset, price]) => [positionKey(CHAIN, asset), { priceUsd: price, at: NOW }]));

const expectUsd = (actual: Rational | null | undefined, expected: string) => {
  expect(actual?.toString(), `expected ${expected}`).toBe(r(expected).toString());
};

const positionOf = (report: PnlReport, asset: string) => report.positions.find((position) => position.token === asset);

describe('computePnl: cost basis methods', () => {
  function canonical() {
    const h = history();
    h.buy(tok(units(1000)), '100');
    h.buy(tok(units(1000)), '300');
    h.sell(tok(-units(1500)), '600');
    return h.trades;
  }

  test('behavior: FIFO realizes 350 on the canonical buy 100, buy 300, sell 1,500 for 600', () => {
    const report = run(canonical(), { method: 'fifo', prices: prices({ [TOK]: '0.5' }) });
    expectUsd(report.realizedUsd, '350');
    expectUsd(report.investedUsd, '400');
    expectUsd(report.proceedsUsd, '600');
    // 500 left from the second lot at 0.30 each, worth 0.50 each.
    expect(report.positions[0]?.amount).toBe(units(500));
    expectUsd(report.positions[0]?.costBasisUsd, '150');
    expectUsd(report.unrealizedUsd, '100');
    expectUsd(report.valueUsd, '250');
  });

  test('behavior: average cost realizes 300 on the canonical buy 100, buy 300, sell 1,500 for 600', () => {
    const report = run(canonical(), { method: 'average', prices: prices({ [TOK]: '0.5' }) });
    expectUsd(report.realizedUsd, '300');
    expectUsd(report.positions[0]?.costBasisUsd, '100');
    expectUsd(report.unrealizedUsd, '150');
  });

  function ladder() {
    const h = history();
    h.buy(tok(units(100)), '100'); // 1.00 each
    h.buy(tok(units(200)), '400'); // 2.00 each
    h.buy(tok(units(100)), '400'); // 4.00 each
    h.sell(tok(-units(150)), '450'); // 3.00 each
    h.sell(tok(-units(200)), '200'); // 1.00 each
    return h.trades;
  }

  test('behavior: FIFO realizes against the oldest lot first across partial sells', () => {
    const report = run(ladder(), { method: 'fifo', prices: prices({ [TOK]: '2' }) });
    // First sale: 100 at 1.00 + 50 at 2.00 = 200 basis; second: 150 at 2.00 + 50 at 4.00 = 500 basis.
    expectUsd(report.realizedUsd, '-50');
    expect(report.positions[0]?.amount).toBe(units(50));
    expectUsd(report.positions[0]?.costBasisUsd, '200');
    expectUsd(report.unrealizedUsd, '-100');
  });

  test('behavior: average cost realizes against the running average across partial sells', () => {
    const report = run(ladder(), { method: 'average', prices: prices({ [TOK]: '2' }) });
    // Average 900 / 400 = 2.25: 450 - 337.5 and 200 - 450.
    expectUsd(report.realizedUsd, '-137.5');
    expectUsd(report.positions[0]?.costBasisUsd, '112.5');
    expectUsd(report.unrealizedUsd, '-12.5');
  });

  test('behavior: the average changes with each buy after a sale', () => {
    const h = history();
    h.buy(tok(units(100)), '100');
    h.sell(tok(-units(50)), '100');
    h.buy(tok(units(50)), '150');
    h.sell(tok(-units(100)), '300');
    const report = run(h.trades, { method: 'average' });
    // 50 left at 1.00, plus 50 at 3.00: average 2.00; realized 50 then 300 - 200.
    expectUsd(report.realizedUsd, '150');
    expect(report.positions[0]?.amount).toBe(0n);
  });

  test('behavior: a swap sells one token and buys the other at the trade value', () => {
    const h = history();
    h.buy(tok(units(1000)), '100');
    h.add('swap', [tok(-units(1000)), tok2(units(500))], '250');
    const report = run(h.trades, { prices: prices({ [TOK2]: '0.6' }) });
    expectUsd(report.realizedUsd, '150');
    expectUsd(report.investedUsd, '350');
    expectUsd(report.proceedsUsd, '250');
    expectUsd(positionOf(report, TOK2)?.costBasisUsd, '250');
    expectUsd(report.unrealizedUsd, '50');
  });

  test('behavior: paying with an asset that is a position sells it', () => {
    const h = history();
    h.add('buy', [nativeLeg(units(1)), usdcLeg(-usdc(3000))], '3000');
    h.add('buy', [tok(units(1000)), nativeLeg(-units(1))], '3300');
    const report = run(h.trades, { quoteAssets: new Set([positionKey(CHAIN, USDC)]) });
    expectUsd(report.realizedUsd, '300');
    expectUsd(positionOf(report, TOK)?.costBasisUsd, '3300');
    expect(positionOf(report, NATIVE)?.amount).toBe(0n);
    expect(report.closedPositions).toBe(1);
  });

  test('behavior: quote assets are money and never become positions', () => {
    const h = history();
    h.buy(tok(units(1)), '5');
    h.add('buy', [tok(units(1)), nativeLeg(-units(1))], '5');
    h.add('transfer_in', [usdcLeg(usdc(1000))], null, { counterparty: STRANGER });
    const report = run(h.trades);
    expect(report.positions.map((position) => position.token)).toEqual([TOK]);
    expect(report.unknownBasis).toEqual([]);
  });
});

describe('computePnl: transfers and unknown basis', () => {
  test('behavior: a transfer in from outside the scope is held at an unknown cost', () => {
    const h = history();
    h.add('transfer_in', [tok(units(1000))], null, { counterparty: STRANGER });
    h.buy(tok(units(1000)), '100');
    const report = run(h.trades, { prices: prices({ [TOK]: '0.5' }) });
    expect(report.unknownBasis).toEqual([
      {
        chain: CHAIN,
        token: TOK,
        symbol: 'TOK',
        decimals: 18,
        amount: units(1000),
        byOrigin: { received: units(1000), unpriced: 0n, unseen: 0n },
        valueUsd: r('500'),
      },
    ]);
    expect(report.positions[0]?.unknownBasisAmount).toBe(units(1000));
    // The value of what has a known cost, and apart from it the value of what has not.
    expectUsd(report.valueUsd, '500');
    expectUsd(report.unknownValueUsd, '500');
    expectUsd(report.positions[0]?.valueUsd, '1000');
    // Only the 1,000 bought for 100 have a gain to measure.
    expectUsd(report.unrealizedUsd, '400');
    expectUsd(report.investedUsd, '100');
  });

  test('behavior: a sale realizes only the share sold from lots of known cost', () => {
    const h = history();
    h.add('transfer_in', [tok(units(1000))], null, { counterparty: STRANGER });
    h.buy(tok(units(1000)), '100');
    h.sell(tok(-units(1500)), '600');
    // FIFO: 1,000 unknown then 500 known (basis 50) get 2/3 and 1/3 of the proceeds.
    const fifo = run(h.trades, { method: 'fifo' });
    expectUsd(fifo.realizedUsd, '150');
    expectUsd(fifo.proceedsUsd, '200');
    expectUsd(fifo.unknownProceedsUsd, '400');
    expect(fifo.unknownBasis).toEqual([]);
    // Average: half of each pool leaves, 750 known (basis 75) get half of the proceeds.
    const average = run(h.trades, { method: 'average' });
    expectUsd(average.realizedUsd, '225');
    expectUsd(average.proceedsUsd, '300');
    expectUsd(average.unknownProceedsUsd, '300');
    expect(average.unknownBasis[0]?.amount).toBe(units(250));
  });

  test('behavior: a transfer out to outside the scope takes its basis along without realizing', () => {
    const h = history();
    h.buy(tok(units(1000)), '100');
    h.add('transfer_out', [tok(-units(400))], null, { counterparty: STRANGER });
    const report = run(h.trades);
    expectUsd(report.realizedUsd, '0');
    expectUsd(report.proceedsUsd, '0');
    expect(report.positions[0]?.amount).toBe(units(600));
    expectUsd(report.positions[0]?.costBasisUsd, '60');
  });

  test('behavior: an other trade moves its legs like transfers, never realizing', () => {
    const h = history();
    h.buy(tok(units(100)), '100');
    h.add('other', [tok(-units(100)), tok2(units(7)), usdcLeg(usdc(5))], '90');
    const report = run(h.trades);
    expectUsd(report.realizedUsd, '0');
    expectUsd(report.proceedsUsd, '0');
    expect(report.unpricedTrades).toBe(0);
    expect(report.unknownBasis.map((entry) => [entry.token, entry.amount, entry.byOrigin.received])).toEqual([[TOK2, units(7), units(7)]]);
    // The 100 TOK left with their cost of 100.
    expectUsd(report.leftAtCostUsd, '100');
    expectUsd(report.investedUsd, '0');
  });

  function groupTransfer(counterparties: boolean) {
    const h = history();
    h.buy(tok(units(1000)), '100', { wallet: ALICE });
    h.add('transfer_out', [tok(-units(1000))], null, { wallet: ALICE, counterparty: counterparties ? BOB : null, tx: '0xmove' });
    h.add('transfer_in', [tok(units(1000))], null, { wallet: BOB, counterparty: counterparties ? ALICE : null, tx: '0xmove' });
    h.sell(tok(-units(1000)), '250', { wallet: BOB });
    return h.trades;
  }

  test('behavior: a transfer between two wallets of a group neither realizes nor loses basis', () => {
    const report = run(groupTransfer(true), { scopeWallets: new Set([ALICE, BOB]) });
    expectUsd(report.realizedUsd, '150');
    expect(report.unknownBasis).toEqual([]);
    expect(report.closedPositions).toBe(1);
  });

  test('behavior: both sides of a group transfer pair by transaction when no counterparty is known', () => {
    const report = run(groupTransfer(false), { scopeWallets: new Set([ALICE, BOB]) });
    expectUsd(report.realizedUsd, '150');
    expect(report.unknownBasis).toEqual([]);
  });

  test('behavior: seen from one wallet, the same transfer is a move out of the scope', () => {
    const alice = run(groupTransfer(true).filter((trade) => trade.wallet === ALICE), { scopeWallets: new Set([ALICE]) });
    expectUsd(alice.realizedUsd, '0');
    expect(alice.positions[0]?.amount).toBe(0n);
    const bob = run(groupTransfer(true).filter((trade) => trade.wallet === BOB), { scopeWallets: new Set([BOB]) });
    // Tokens of unknown cost sold: their proceeds are reported apart, no gain is invented.
    expectUsd(bob.realizedUsd, '0');
    expectUsd(bob.proceedsUsd, '0');
    expectUsd(bob.unknownProceedsUsd, '250');
    expect(bob.closedPositions).toBe(0);
  });

  test('behavior: transfers of different amounts in one transaction do not pair', () => {
    const h = history();
    h.buy(tok(units(1000)), '100', { wallet: ALICE });
    h.add('transfer_out', [tok(-units(1000))], null, { wallet: ALICE, tx: '0xmove' });
    h.add('transfer_in', [tok(units(990))], null, { wallet: BOB, tx: '0xmove' });
    const report = run(h.trades, { scopeWallets: new Set([ALICE, BOB]) });
    expect(report.unknownBasis[0]?.amount).toBe(units(990));
    expectUsd(report.positions[0]?.costBasisUsd, '0');
  });
});

describe('computePnl: wrap and unwrap', () => {
  const ONLY_STABLES_ARE_MONEY = new Set([positionKey(CHAIN, USDC)]);

  test('behavior: a wrap moves the native cost basis to the wrapped token', () => {
    const h = history();
    h.add('buy', [nativeLeg(units(1)), usdcLeg(-usdc(3000))], '3000');
    h.add('wrap', [nativeLeg(-units(1)), wethLeg(units(1))], null);
    h.add('sell', [wethLeg(-units(1)), usdcLeg(usdc(3300))], '3300');
    const report = run(h.trades, { quoteAssets: ONLY_STABLES_ARE_MONEY });
    expectUsd(report.realizedUsd, '300');
    expect(report.unknownBasis).toEqual([]);
    expect(report.unpricedTrades).toBe(0);
  });

  test('behavior: wrapped lots keep their age for FIFO', () => {
    const h = history();
    h.add('buy', [nativeLeg(units(1)), usdcLeg(-usdc(2000))], '2000');
    h.add('buy', [wethLeg(units(1)), usdcLeg(-usdc(4000))], '4000');
    h.add('wrap', [nativeLeg(-units(1)), wethLeg(units(1))], null);
    h.add('sell', [wethLeg(-units(1)), usdcLeg(usdc(3000))], '3000');
    const report = run(h.trades, { quoteAssets: ONLY_STABLES_ARE_MONEY, prices: prices({ [WETH]: '3000' }) });
    expectUsd(report.realizedUsd, '1000');
    expectUsd(positionOf(report, WETH)?.costBasisUsd, '4000');
  });

  test('behavior: an unwrap beyond the wrapped amount the history shows brings the rest in at an unknown cost', () => {
    const h = history();
    h.add('buy', [wethLeg(units(1)), usdcLeg(-usdc(2000))], '2000');
    h.add('unwrap', [wethLeg(-units(3)), nativeLeg(units(3))], null);
    const report = run(h.trades, { quoteAssets: ONLY_STABLES_ARE_MONEY });
    const native = positionOf(report, NATIVE);
    expect(native?.amount).toBe(units(3));
    expect(native?.unknownBasisAmount).toBe(units(2));
    expectUsd(native?.costBasisUsd, '2000');
  });

  test('behavior: a wrap changes nothing when native and wrapped native are both money', () => {
    const h = history();
    h.buy(tok(units(1)), '5');
    h.add('wrap', [nativeLeg(-units(1)), wethLeg(units(1))], null);
    const report = run(h.trades);
    expect(report.positions.map((position) => position.token)).toEqual([TOK]);
    expect(report.unknownBasis).toEqual([]);
  });
});

describe('computePnl: unpriced trades', () => {
  test('behavior: a buy without a price is counted and held at an unknown cost, never at $0', () => {
    const h = history();
    h.buy(tok(units(1000)), null);
    h.sell(tok(-units(1000)), '500');
    const report = run(h.trades);
    expect(report.unpricedTrades).toBe(1);
    expect(report.unpriced.map((trade) => [trade.id, trade.reason])).toEqual([['trade-0', 'no_usd_value']]);
    expectUsd(report.realizedUsd, '0');
    expectUsd(report.investedUsd, '0');
    expectUsd(report.proceedsUsd, '0');
    expectUsd(report.unknownProceedsUsd, '500');
  });

  test('behavior: a sale without a price takes its basis along without realizing', () => {
    const h = history();
    h.buy(tok(units(1000)), '100');
    h.sell(tok(-units(500)), null);
    const report = run(h.trades);
    expect(report.unpricedTrades).toBe(1);
    expectUsd(report.realizedUsd, '0');
    expectUsd(report.proceedsUsd, '0');
    expectUsd(report.positions[0]?.costBasisUsd, '50');
    expect(report.closedPositions).toBe(0);
  });

  test('behavior: a trade with several tokens on one side counts as unpriced', () => {
    const h = history();
    h.add('swap', [tok(units(10)), tok2(units(10)), usdcLeg(-usdc(50))], '50');
    const report = run(h.trades);
    expect(report.unpricedTrades).toBe(1);
    expect(report.unknownBasis.map((entry) => entry.token).sort()).toEqual([TOK, TOK2]);
  });

  test('behavior: a held position without a price has no value of its own and counts at cost in the totals, with no unrealized PnL', () => {
    const h = history();
    h.buy(tok(units(1000)), '100');
    const report = run(h.trades);
    expect(report.positions[0]?.priceUsd).toBeNull();
    expect(report.positions[0]?.unrealizedUsd).toBeNull();
    expect(report.positions[0]?.valueUsd).toBeNull();
    // Counted at cost in the totals, and said so.
    expectUsd(report.valueUsd, '100');
    expectUsd(report.heldAtCostUsd, '100');
    expectUsd(report.unrealizedUsd, '0');
  });
});

describe('computePnl: window, win rate and ROI', () => {
  function spread() {
    const h = history();
    h.buy(tok(units(100)), '100', { daysAgo: 10 });
    h.sell(tok(-units(50)), '100', { daysAgo: 5 });
    h.sell(tok(-units(50)), '200', { daysAgo: 1 / 24 });
    h.buy(tok(units(100)), '100', { daysAgo: -1 });
    return h.trades;
  }

  test('behavior: the window counts realized, bought and proceeds of its trades only, on lots of the whole history, and carries in the cost held when it began', () => {
    const day = run(spread(), { window: '24h' });
    expectUsd(day.realizedUsd, '150');
    // The 50 held when the day began cost 50: they are what the day's figures stand on.
    expectUsd(day.carriedInUsd, '50');
    expectUsd(day.boughtUsd, '0');
    expectUsd(day.investedUsd, '50');
    expectUsd(day.proceedsUsd, '200');
    expectUsd(day.roi, '3');
    const week = run(spread(), { window: '7d' });
    expectUsd(week.realizedUsd, '200');
    expectUsd(week.proceedsUsd, '300');
    expectUsd(week.investedUsd, '100');
    const all = run(spread(), { window: 'all' });
    expectUsd(all.investedUsd, '100');
    expectUsd(all.roi, '2');
  });

  test('behavior: trades after now are left out of the report', () => {
    const report = run(spread(), { window: 'all' });
    expect(report.positions[0]?.amount).toBe(0n);
  });

  test('behavior: a position traded only before the window and closed is not listed', () => {
    const report = run(spread().slice(0, 2).concat(spread()[2]!), { window: '24h' });
    expect(report.positions).toHaveLength(1);
    const older = run(spread().slice(0, 3), { now: new Date(NOW.getTime() + 3 * DAY_MS), window: '24h' });
    expect(older.positions).toHaveLength(0);
  });

  test('behavior: win rate is the share of positions sold out at a profit', () => {
    const h = history();
    h.buy(tok(units(100)), '100');
    h.sell(tok(-units(40)), '30'); // a losing first sale of a winning round
    h.sell(tok(-units(60)), '120');
    h.buy(tok2(units(100)), '100');
    h.sell(tok2(-units(100)), '50');
    h.buy(tok2(units(100)), '100'); // still open: not counted
    h.sell(tok2(-units(50)), '500');
    const report = run(h.trades);
    expect(report.closedPositions).toBe(2);
    expectUsd(report.winRate, '0.5');
  });

  test('behavior: a position emptied by a transfer out is not a closed position', () => {
    const h = history();
    h.buy(tok(units(100)), '100');
    h.sell(tok(-units(50)), '100');
    h.add('transfer_out', [tok(-units(50))], null, { counterparty: STRANGER });
    const report = run(h.trades);
    expect(report.closedPositions).toBe(0);
    expect(report.winRate).toBeNull();
  });

  test('behavior: ROI is realized plus unrealized over invested', () => {
    const h = history();
    h.buy(tok(units(100)), '200');
    h.sell(tok(-units(50)), '150');
    const report = run(h.trades, { prices: prices({ [TOK]: '1' }) });
    // realized 50, unrealized 50 - 100 = -50.
    expectUsd(report.roi, '0');
  });
});

describe('computePnl: exactness', () => {
  test('behavior: 1 wei lots split without rounding', () => {
    const h = history();
    h.buy(tok(3n), '1');
    h.sell(tok(-1n), '1');
    const report = run(h.trades, { prices: prices({ [TOK]: '1' }) });
    expect(report.realizedUsd.eq(Rational.of(2n, 3n))).toBe(true);
    expect(report.positions[0]?.costBasisUsd.eq(Rational.of(2n, 3n))).toBe(true);
  });

  test('behavior: 10^30 token amounts keep every wei', () => {
    const h = history();
    h.buy(tok(units(10n ** 30n)), '1000000000000');
    h.sell(tok(-(units(10n ** 30n) - 1n)), '2000000000000');
    const report = run(h.trades, { prices: prices({ [TOK]: '0.000000000001' }) });
    // The 1 wei left cost 10^12 / 10^48 USD.
    const oneIn10To36 = `0.${'0'.repeat(35)}1`;
    expectUsd(report.realizedUsd, `1000000000000${oneIn10To36.slice(1)}`);
    expect(report.positions[0]?.amount).toBe(1n);
    expectUsd(report.positions[0]?.costBasisUsd, oneIn10To36);
    expectUsd(report.valueUsd, '0.000000000000000000000000000001');
  });
});

describe.each(['fifo', 'average'] as PnlMethod[])('computePnl: hand-worked scenarios, %s', (method) => {
  const fifo = method === 'fifo';
  const MEME = TOK;
  const meme = tok;
  const ONLY_STABLES_ARE_MONEY = new Set([positionKey(CHAIN, USDC)]);
  const adds = (report: PnlReport) => {
    const left = report.realizedUsd.add(report.unrealizedUsd);
    expect(left.toString()).toBe(report.proceedsUsd.add(report.valueUsd).sub(report.investedUsd).toString());
  };

  test('behavior: a buy paid with 0.5 ETH on a chain without a USD feed, then USDC buys and a sale for 600: the sale is measured where it can be and the rest is reported apart', () => {
    const h = history();
    h.add('buy', [meme(units(1000)), nativeLeg(-units(1) / 2n)], null);
    h.buy(meme(units(1000)), '100');
    h.buy(meme(units(1000)), '300');
    h.sell(meme(-units(1500)), '600');
    const report = run(h.trades, { method, quoteAssets: ONLY_STABLES_ARE_MONEY, prices: prices({ [MEME]: '0.4' }) });
    // FIFO: the 1,000 of unknown cost and 500 bought for 50 leave; average: 1,000 known (basis 200) and 500 unknown.
    expectUsd(report.realizedUsd, fifo ? '150' : '200');
    expectUsd(report.proceedsUsd, fifo ? '200' : '400');
    expectUsd(report.unknownProceedsUsd, fifo ? '400' : '200');
    expectUsd(report.investedUsd, '400');
    expectUsd(report.valueUsd, fifo ? '600' : '400');
    expectUsd(report.unrealizedUsd, fifo ? '250' : '200');
    expect(report.unpriced.map((trade) => trade.reason)).toEqual(['no_usd_value']);
    // What is left of that lot was bought, in a trade without a USD value: not "received".
    const left = report.unknownBasis.map((entry) => [entry.token, entry.byOrigin]);
    expect(left).toEqual(fifo ? [] : [[MEME, { received: 0n, unpriced: units(500), unseen: 0n }]]);
    adds(report);
  });

  test('behavior: a sale entirely from the lot bought without a USD value realizes nothing and reports its proceeds apart', () => {
    const h = history();
    h.add('buy', [meme(units(1000)), nativeLeg(-units(1) / 2n)], null);
    h.buy(meme(units(1000)), '300');
    h.sell(meme(-units(800)), '600');
    const report = run(h.trades, { method, quoteAssets: ONLY_STABLES_ARE_MONEY });
    // Average takes 400 known (basis 120) and 400 unknown.
    expectUsd(report.realizedUsd, fifo ? '0' : '180');
    expectUsd(report.proceedsUsd, fifo ? '0' : '300');
    expectUsd(report.unknownProceedsUsd, fifo ? '600' : '300');
    expect(report.unknownBasis[0]?.byOrigin.unpriced).toBe(fifo ? units(200) : units(600));
    adds(report);
  });

  test('behavior: a sale from a lot transferred in realizes against an unknown basis', () => {
    const h = history();
    h.add('transfer_in', [tok(units(100))], null, { counterparty: STRANGER });
    h.sell(tok(-units(100)), '50');
    const report = run(h.trades, { method });
    expectUsd(report.realizedUsd, '0');
    expectUsd(report.proceedsUsd, '0');
    expectUsd(report.unknownProceedsUsd, '50');
    expect(positionOf(report, TOK)?.unknownProceedsUsd.toString()).toBe('50');
    expect(report.closedPositions).toBe(0);
    adds(report);
  });

  test('behavior: fees go into the cost basis and come off the proceeds only when the workspace says so', () => {
    const h = history();
    h.buy(tok(units(10)), '100', { feeUsd: '2' });
    h.buy(tok(units(10)), '200', { feeUsd: '0.5' });
    h.sell(tok(-units(10)), '150', { feeUsd: '3' });
    const withFees = run(h.trades, { method, feesInBasis: true, prices: prices({ [TOK]: '20' }) });
    // FIFO sells the first lot (102); average sells half of 302.5.
    expectUsd(withFees.boughtUsd, '302.5');
    expectUsd(withFees.proceedsUsd, '147');
    expectUsd(withFees.feesUsd, '5.5');
    expectUsd(withFees.realizedUsd, fifo ? '45' : '-4.25');
    expectUsd(withFees.unrealizedUsd, fifo ? '-0.5' : '48.75');
    adds(withFees);
    const without = run(h.trades, { method, feesInBasis: false, prices: prices({ [TOK]: '20' }) });
    expectUsd(without.boughtUsd, '300');
    expectUsd(without.proceedsUsd, '150');
    expectUsd(without.feesUsd, '0');
    expectUsd(without.realizedUsd, fifo ? '50' : '0');
    adds(without);
  });

  test('behavior: a USDC to WETH buy is a position priced like the native coin', () => {
    const h = history();
    h.add('buy', [wethLeg(3312n * 10n ** 14n), usdcLeg(-usdc(1000))], '1000');
    // The command layer prices the wrapped native with the native coin's price.
    const report = run(h.trades, { method, quoteAssets: ONLY_STABLES_ARE_MONEY, prices: prices({ [WETH]: '3000', [NATIVE]: '3000' }) });
    const weth = positionOf(report, WETH);
    expect(weth?.amount).toBe(3312n * 10n ** 14n);
    expectUsd(weth?.costBasisUsd, '1000');
    expectUsd(weth?.valueUsd, '993.6');
    expectUsd(report.investedUsd, '1000');
    expectUsd(report.unrealizedUsd, '-6.4');
    adds(report);
  });

  test('behavior: a token-for-token swap valued through one leg sells one and buys the other at that value', () => {
    const h = history();
    h.buy(tok(units(1000)), '100');
    h.buy(tok(units(1000)), '300');
    // Valued at 250 from the price of the TOK leg; TWO had none.
    h.add('swap', [tok(-units(1000)), tok2(units(500))], '250');
    const report = run(h.trades, { method, prices: prices({ [TOK]: '0.25', [TOK2]: '0.6' }) });
    expectUsd(report.realizedUsd, fifo ? '150' : '50');
    expectUsd(positionOf(report, TOK2)?.costBasisUsd, '250');
    expectUsd(report.boughtUsd, '650');
    adds(report);
  });

  test('behavior: manual trades buy 2 at 10, sell 1 at 15, buy 1 at 30 realize +5, mixed with on-chain ones', () => {
    const h = history();
    h.buy(tok(units(2)), '20');
    h.sell(tok(-units(1)), '15');
    h.buy(tok(units(1)), '30');
    for (const trade of h.trades) trade.manual = true;
    const manualOnly = run(h.trades, { method });
    expectUsd(manualOnly.realizedUsd, '5');
    expectUsd(manualOnly.sales.get('trade-1')?.realizedUsd, '5');
    // An on-chain sale after them: FIFO sells the lot at 10 then the one at 30; average sells at 20.
    h.sell(tok(-units(2)), '50');
    const mixed = run(h.trades, { method, prices: prices({ [TOK]: '25' }) });
    expectUsd(mixed.realizedUsd, '15');
    expect(positionOf(mixed, TOK)?.amount).toBe(0n);
    adds(mixed);
  });
});

describe('computePnl: invariant', () => {
  const TOKENS = [TOK, TOK2, '0x00000000000000000000000000000000000000cc'];
  const DECIMALS = [18, 6, 9];

  function randomHistory(seed: number): { trades: PnlTrade[]; held: bigint[] } {
    const random = seededRandom(seed);
    const pick = (n: number) => Math.floor(random() * n);
    const rawAmount = () => BigInt(1 + pick(1_000_000)) * 10n ** BigInt(pick(20));
    const cents = () => `${pick(1_000_000)}.${String(pick(100)).padStart(2, '0')}`;
    const leg = (index: number, amount: bigint): PnlLeg => ({ asset: TOKENS[index]!, symbol: null, decimals: DECIMALS[index]!, amount });
    const held = TOKENS.map(() => 0n);
    const h = history();
    for (let step = 0; step < 60; step++) {
      const token = pick(TOKENS.length);
      const other = (token + 1 + pick(TOKENS.length - 1)) % TOKENS.length;
      const wallet = random() < 0.5 ? ALICE : BOB;
      const choice = random();
      const daysAgo = 300 - step;
      if (held[token] === 0n || choice < 0.35) {
        const amount = rawAmount();
        h.add('buy', [leg(token, amount)], cents(), { wallet, daysAgo });
        held[token]! += amount;
      } else if (choice < 0.7) {
        const amount = random() < 0.3 ? held[token]! : 1n + (BigInt(pick(1 << 30)) * held[token]!) / BigInt(1 << 30);
        const sold = amount > held[token]! ? held[token]! : amount;
        h.add('sell', [leg(token, -sold)], cents(), { wallet, daysAgo });
        held[token]! -= sold;
      } else if (choice < 0.85) {
        const sold = held[token]!;
        const bought = rawAmount();
        h.add('swap', [leg(token, -sold), leg(other, bought)], cents(), { wallet, daysAgo });
        held[token] = 0n;
        held[other]! += bought;
      } else {
        const moved = held[token]!;
        const to = wallet === ALICE ? BOB : ALICE;
        h.add('transfer_out', [leg(token, -moved)], null, { wallet, counterparty: to, tx: `0xmove${step}`, daysAgo });
        h.add('transfer_in', [leg(token, moved)], null, { wallet: to, counterparty: wallet, tx: `0xmove${step}`, daysAgo });
      }
    }
    return { trades: h.trades, held };
  }

  test('behavior: average cost over a long history keeps its numbers small and its sums exact', () => {
    const h = history();
    let held = 0n;
    for (let step = 0; step < 600; step++) {
      // Odd raw amounts make every average a fraction with a new denominator.
      const amount = units(1000 + step) + 7n * BigInt(step) + 1n;
      h.buy(tok(amount), `${100 + (step % 17)}.37`, { daysAgo: 700 - step });
      const sold = (held + amount) / 3n;
      h.sell(tok(-sold), `${40 + (step % 13)}.11`, { daysAgo: 700 - step });
      held += amount - sold;
    }
    const report = run(h.trades, { method: 'average', prices: prices({ [TOK]: '0.123' }) });
    expect(report.positions[0]?.amount).toBe(held);
    expect(report.realizedUsd.den <= 10n ** 40n).toBe(true);
    expect(report.positions[0]!.costBasisUsd.den <= 10n ** 40n).toBe(true);
    const left = report.realizedUsd.add(report.unrealizedUsd);
    expect(left.eq(report.proceedsUsd.add(report.valueUsd).sub(report.investedUsd))).toBe(true);
  });

  test('behavior: realized + unrealized = proceeds + value - invested on random fully priced histories', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const { trades, held } = randomHistory(seed);
      const random = seededRandom(seed * 7919);
      const priceMap = new Map(
        TOKENS.map((asset) => [positionKey(CHAIN, asset), { priceUsd: `${Math.floor(random() * 1e6)}.${Math.floor(random() * 1e6)}`, at: NOW }]),
      );
      const totals: Rational[] = [];
      for (const method of ['fifo', 'average'] as PnlMethod[]) {
        const report = run(trades, { method, prices: priceMap, scopeWallets: new Set([ALICE, BOB]) });
        const left = report.realizedUsd.add(report.unrealizedUsd);
        const right = report.proceedsUsd.add(report.valueUsd).sub(report.investedUsd);
        expect(left.toString(), `seed ${seed} ${method}`).toBe(right.toString());
        expect(report.unpricedTrades).toBe(0);
        expect(report.unknownBasis).toEqual([]);
        for (const [index, asset] of TOKENS.entries()) {
          expect(positionOf(report, asset)?.amount ?? 0n, `seed ${seed} ${method} ${asset}`).toBe(held[index]);
        }
        totals.push(left);
      }
      // Methods differ in when a gain is realized, never in the total.
      expect(totals[0]!.eq(totals[1]!), `seed ${seed}`).toBe(true);
    }
  });
});

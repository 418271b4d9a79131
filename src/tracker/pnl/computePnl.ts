import { findInternalTransfers } from './findInternalTransfers.js';
import { createLotBook, type Lot, type LotBook } from './lotBook.js';
import { positionKey } from './positionKey.js';
import { Rational } from './Rational.js';
import type { PnlInput, PnlLeg, PnlPosition, PnlReport, PnlTrade, UnknownBasis, UnknownOrigin, UnpricedReason, UnpricedTrade } from './types.js';
import { usdShare } from './usdShare.js';
import { windowStart } from './windowStart.js';

type PositionState = {
  chain: string;
  token: string;
  symbol: string | null;
  decimals: number;
  book: LotBook;
  realizedUsd: Rational;
  unknownProceedsUsd: Rational;
  tradedInWindow: boolean;
  /** The round trip since the position was last empty: its realized PnL, and whether any sale had a known cost. */
  round: { realizedUsd: Rational; measured: boolean };
};

type Totals = {
  realizedUsd: Rational;
  boughtUsd: Rational;
  leftAtCostUsd: Rational;
  proceedsUsd: Rational;
  unknownProceedsUsd: Rational;
  feesUsd: Rational;
  unpricedFees: number;
  unpriced: UnpricedTrade[];
  sales: Map<string, { realizedUsd: Rational; unknownProceedsUsd: Rational }>;
  closedPositions: number;
  wins: number;
};

/** Legs that move positions: money legs left out, legs of one asset merged, zero legs dropped. */
function positionLegs(trade: PnlTrade, quoteAssets: ReadonlySet<string>): PnlLeg[] {
  const merged = new Map<string, PnlLeg>();
  for (const leg of trade.legs) {
    if (quoteAssets.has(positionKey(trade.chain, leg.asset))) continue;
    const seen = merged.get(leg.asset);
    merged.set(leg.asset, seen ? { ...seen, amount: seen.amount + leg.amount } : { ...leg });
  }
  return [...merged.values()].filter((leg) => leg.amount !== 0n);
}

/** Spreads `total` over the pieces in proportion to their amounts, the rounding rest on the last. */
function rescale(pieces: readonly Lot[], from: bigint, total: bigint): Lot[] {
  let given = 0n;
  return pieces.map((piece, index) => {
    const amount = index === pieces.length - 1 ? total - given : (piece.amount * total) / from;
    given += amount;
    return { ...piece, amount };
  });
}

// Note: the semantics, each chosen so that a number shown is never a guess.
// - Positions are the assets not in `quoteAssets`. Money legs never open, move or close a
//   position, because their USD value is already the trade's `usd`. The classifier's base and
//   quote are not needed: the legs and `quoteAssets` say the same in every trade, so an asset is
//   either money everywhere or a position everywhere (paying with ETH sells ETH when ETH is a
//   position).
// - buy, sell and swap: the one non-money leg out is sold for `usd` and the one non-money leg in
//   is bought for `usd` (a swap does both). Without `usd`, or with several tokens on one side,
//   the trade is listed in `unpriced` and its legs move at an unknown cost.
// - Lots of unknown cost (received from outside the scope, bought without a USD value, or sold or
//   unwrapped beyond what the history shows) are kept apart from lots of known cost: they never
//   enter realized, unrealized, invested, proceeds or value. A sale realizes only the share of its
//   proceeds that matches tokens of known cost; the rest is `unknownProceedsUsd`, a sale against an
//   unknown basis whose gain is not measured. What is held at an unknown cost is `unknownBasis`,
//   valued apart (`unknownValueUsd`).
// - The priced part adds up exactly: realized + unrealized = proceeds + value - invested, with
//   invested = carried in (cost held when the window began) + bought - left at cost (lots of
//   known cost that left without a sale price: a transfer out, an unpriced sale). A held lot of
//   known cost without a price now counts in value at its cost (`heldAtCostUsd`), unrealized 0.
// - Lots are per (chain, token) across the whole scope, so a transfer between two scope wallets
//   (counterparty in the scope, or both sides paired in one transaction) changes nothing.
//   `other` trades move their legs like transfers.
// - wrap/unwrap moves the lots, with their cost and age, from one side to the other.
// - Fees, when `feesInBasis`: a priced trade's fee is added to the cost of what it buys, or, when
//   it buys no position, deducted from the proceeds of what it sells. Fees of unpriced trades and
//   of transfers are not counted.
// - Realized, bought, left at cost, proceeds, fees and unpriced trades count trades inside the
//   window; lots come from the whole history; unrealized and value are on what is held at `now`.
//   Trades after `now` are left out, so a past `now` replays the history up to then.
// - A closed position is a round trip: from holding nothing to a sale that brings the amount back
//   to zero, counted when that sale is in the window and at least one of its sales had a known
//   cost; it is a win when the realized PnL of all its sales is positive. A position emptied by a
//   transfer out is not closed.
/**
 * Realized and unrealized profit and loss of a scope's trade history, with cost-basis lots per
 * (chain, token) across the whole scope; pure, in exact bigint arithmetic (shares of a USD
 * amount are rounded to 10^-40, see usdShare).
 */
export function computePnl(input: PnlInput): PnlReport {
  const since = windowStart(input.window, input.now);
  const internal = findInternalTransfers(input.trades, input.scopeWallets);
  const positions = new Map<string, PositionState>();
  const totals: Totals = {
    realizedUsd: Rational.ZERO,
    boughtUsd: Rational.ZERO,
    leftAtCostUsd: Rational.ZERO,
    proceedsUsd: Rational.ZERO,
    unknownProceedsUsd: Rational.ZERO,
    feesUsd: Rational.ZERO,
    unpricedFees: 0,
    unpriced: [],
    sales: new Map(),
    closedPositions: 0,
    wins: 0,
  };
  let nextSeq = 1;
  let carriedInUsd: Rational | null = since === null ? Rational.ZERO : null;

  const position = (chain: string, leg: PnlLeg): PositionState => {
    const key = positionKey(chain, leg.asset);
    let state = positions.get(key);
    if (!state) {
      state = {
        chain,
        token: leg.asset,
        symbol: leg.symbol,
        decimals: leg.decimals,
        book: createLotBook(input.method),
        realizedUsd: Rational.ZERO,
        unknownProceedsUsd: Rational.ZERO,
        tradedInWindow: false,
        round: { realizedUsd: Rational.ZERO, measured: false },
      };
      positions.set(key, state);
    }
    state.symbol = leg.symbol ?? state.symbol;
    return state;
  };

  const acquire = (state: PositionState, lots: Lot[]): void => {
    if (state.book.amount() === 0n) state.round = { realizedUsd: Rational.ZERO, measured: false };
    state.book.add(lots);
  };

  // Removal that is not a sale: the basis leaves with the tokens and nothing is realized.
  const release = (state: PositionState, amount: bigint): Lot[] => {
    const removed = state.book.remove(amount);
    if (state.book.amount() === 0n) state.round = { realizedUsd: Rational.ZERO, measured: false };
    return removed;
  };

  const sell = (trade: PnlTrade, state: PositionState, amount: bigint, proceeds: Rational, inWindow: boolean): void => {
    const removed = state.book.remove(amount);
    const known = removed.filter((lot) => lot.costUsd !== null);
    const knownAmount = known.reduce((total, lot) => total + lot.amount, 0n);
    const basis = known.reduce((total, lot) => total.add(lot.costUsd!), Rational.ZERO);
    // Proceeds are split by amount; only the share sold from known-cost lots is realized, because
    // tokens of unknown cost (and tokens sold beyond what the history shows) have no gain to measure.
    const knownProceeds = usdShare(proceeds, knownAmount, amount);
    const unknownProceeds = proceeds.sub(knownProceeds);
    const realized = knownProceeds.sub(basis);
    state.round.realizedUsd = state.round.realizedUsd.add(realized);
    state.round.measured ||= knownAmount > 0n;
    if (inWindow) {
      state.realizedUsd = state.realizedUsd.add(realized);
      state.unknownProceedsUsd = state.unknownProceedsUsd.add(unknownProceeds);
      totals.realizedUsd = totals.realizedUsd.add(realized);
      totals.proceedsUsd = totals.proceedsUsd.add(knownProceeds);
      totals.unknownProceedsUsd = totals.unknownProceedsUsd.add(unknownProceeds);
      const sale = totals.sales.get(trade.id) ?? { realizedUsd: Rational.ZERO, unknownProceedsUsd: Rational.ZERO };
      totals.sales.set(trade.id, { realizedUsd: sale.realizedUsd.add(realized), unknownProceedsUsd: sale.unknownProceedsUsd.add(unknownProceeds) });
    }
    if (state.book.amount() !== 0n) return;
    if (inWindow && state.round.measured) {
      totals.closedPositions += 1;
      if (state.round.realizedUsd.sign() > 0) totals.wins += 1;
    }
    state.round = { realizedUsd: Rational.ZERO, measured: false };
  };

  // Legs of unknown value: what comes in has an unknown cost, what goes out takes its basis along.
  const moveUnpriced = (trade: PnlTrade, legs: readonly PnlLeg[], origin: UnknownOrigin, inWindow: boolean): void => {
    for (const leg of legs) {
      const state = position(trade.chain, leg);
      if (leg.amount > 0n) {
        acquire(state, [{ amount: leg.amount, costUsd: null, seq: nextSeq++, origin }]);
        continue;
      }
      const left = basisOf(release(state, -leg.amount));
      if (inWindow) totals.leftAtCostUsd = totals.leftAtCostUsd.add(left);
    }
  };

  const markUnpriced = (trade: PnlTrade, reason: UnpricedReason, inWindow: boolean): void => {
    if (!inWindow) return;
    const { id, tx, chain, wallet, time, kind, manual } = trade;
    totals.unpriced.push({ id, tx, chain, wallet, time, kind, manual, reason });
  };

  const trades = [...input.trades].sort((a, b) => a.time.getTime() - b.time.getTime());
  for (const trade of trades) {
    if (trade.time > input.now) continue;
    const inWindow = since === null || trade.time >= since;
    if (inWindow && carriedInUsd === null) carriedInUsd = heldBasis(positions);
    const legs = positionLegs(trade, input.quoteAssets);
    if (inWindow) for (const leg of legs) position(trade.chain, leg).tradedInWindow = true;
    const ins = legs.filter((leg) => leg.amount > 0n);
    const outs = legs.filter((leg) => leg.amount < 0n);

    switch (trade.kind) {
      case 'buy':
      case 'sell':
      case 'swap': {
        if (legs.length === 0) break;
        // A trade with several tokens on one side has one USD value that cannot be split fairly.
        if (trade.usd === null || ins.length > 1 || outs.length > 1) {
          markUnpriced(trade, trade.usd === null ? 'no_usd_value' : 'several_tokens', inWindow);
          moveUnpriced(trade, legs, 'unpriced', inWindow);
          break;
        }
        const usd = Rational.parse(trade.usd);
        let fee = Rational.ZERO;
        if (input.feesInBasis && trade.feeUsd !== null) fee = Rational.parse(trade.feeUsd);
        if (input.feesInBasis && trade.feeUnpriced && inWindow) totals.unpricedFees += 1;
        if (inWindow) totals.feesUsd = totals.feesUsd.add(fee);
        // The fee is part of what a purchase cost; only a trade that buys nothing takes it from proceeds.
        const buysSomething = ins.length > 0;
        for (const leg of outs) sell(trade, position(trade.chain, leg), -leg.amount, buysSomething ? usd : usd.sub(fee), inWindow);
        for (const leg of ins) {
          const cost = usd.add(fee);
          acquire(position(trade.chain, leg), [{ amount: leg.amount, costUsd: cost, seq: nextSeq++ }]);
          if (inWindow) totals.boughtUsd = totals.boughtUsd.add(cost);
        }
        break;
      }
      case 'wrap':
      case 'unwrap': {
        const [from] = outs;
        const [to] = ins;
        if (!from || !to || legs.length !== 2) {
          moveUnpriced(trade, legs, 'received', inWindow);
          break;
        }
        // Native and wrapped native are one asset for cost: the lots move with their cost and age,
        // and what the history does not show arrives with an unknown cost.
        const source = position(trade.chain, from);
        const removed = release(source, -from.amount);
        const shown = removed.reduce((total, lot) => total + lot.amount, 0n);
        const pieces: Lot[] =
          shown < -from.amount ? [...removed, { amount: -from.amount - shown, costUsd: null, seq: nextSeq++, origin: 'unseen' }] : removed;
        acquire(position(trade.chain, to), rescale(pieces, -from.amount, to.amount));
        break;
      }
      case 'transfer_in':
      case 'transfer_out':
      case 'other':
        // Tokens moving between wallets of the scope stay in the same scope-wide lots.
        if (internal.has(trade.id)) break;
        moveUnpriced(trade, legs, 'received', inWindow);
        break;
    }
  }
  // A window that began after the last trade carries in everything still held.
  carriedInUsd ??= heldBasis(positions);

  return buildReport(input, positions, totals, carriedInUsd);
}

function basisOf(lots: readonly Lot[]): Rational {
  return lots.reduce((total, lot) => (lot.costUsd ? total.add(lot.costUsd) : total), Rational.ZERO);
}

function heldBasis(positions: ReadonlyMap<string, PositionState>): Rational {
  let total = Rational.ZERO;
  for (const state of positions.values()) total = total.add(state.book.knownBasis());
  return total;
}

function buildReport(input: PnlInput, positions: Map<string, PositionState>, totals: Totals, carriedInUsd: Rational): PnlReport {
  let unrealizedUsd = Rational.ZERO;
  let valueUsd = Rational.ZERO;
  let heldAtCostUsd = Rational.ZERO;
  let unknownValueUsd = Rational.ZERO;
  const unknownBasis: UnknownBasis[] = [];
  const rows: PnlPosition[] = [];
  for (const [key, state] of positions) {
    const amount = state.book.amount();
    const unknownBasisAmount = state.book.unknownAmount();
    const costBasisUsd = state.book.knownBasis();
    const price = input.prices.get(key);
    const priceUsd = price ? Rational.parse(price.priceUsd) : null;
    // Nothing held is worth nothing, priced or not.
    const worth = amount === 0n ? Rational.ZERO : priceUsd;
    const value = worth && Rational.fromRaw(amount, state.decimals).mul(worth);
    const knownValue = worth && Rational.fromRaw(amount - unknownBasisAmount, state.decimals).mul(worth);
    const unknownValue = worth && Rational.fromRaw(unknownBasisAmount, state.decimals).mul(worth);
    const unrealized = knownValue && knownValue.sub(costBasisUsd);
    if (knownValue && unrealized && unknownValue) {
      valueUsd = valueUsd.add(knownValue);
      unrealizedUsd = unrealizedUsd.add(unrealized);
      unknownValueUsd = unknownValueUsd.add(unknownValue);
    } else {
      // Without a price, what was paid is the only honest figure: held at cost, no gain claimed.
      valueUsd = valueUsd.add(costBasisUsd);
      heldAtCostUsd = heldAtCostUsd.add(costBasisUsd);
    }
    if (amount === 0n && !state.tradedInWindow) continue;
    if (unknownBasisAmount > 0n) {
      unknownBasis.push({
        chain: state.chain,
        token: state.token,
        symbol: state.symbol,
        decimals: state.decimals,
        amount: unknownBasisAmount,
        byOrigin: state.book.unknownByOrigin(),
        valueUsd: unknownValue,
      });
    }
    rows.push({
      chain: state.chain,
      token: state.token,
      symbol: state.symbol,
      decimals: state.decimals,
      amount,
      unknownBasisAmount,
      costBasisUsd,
      realizedUsd: state.realizedUsd,
      unknownProceedsUsd: state.unknownProceedsUsd,
      unrealizedUsd: unrealized,
      valueUsd: value,
      priceUsd,
      priceAt: price ? price.at : null,
    });
  }
  // Largest holdings first, then positions without a price, then closed ones; ties in key order.
  rows.sort((a, b) => {
    const rank = (row: PnlPosition) => (row.amount === 0n ? 2 : row.valueUsd ? 0 : 1);
    const byRank = rank(a) - rank(b);
    if (byRank !== 0) return byRank;
    if (a.valueUsd && b.valueUsd) {
      const byValue = b.valueUsd.compare(a.valueUsd);
      if (byValue !== 0) return byValue;
    }
    return positionKey(a.chain, a.token) < positionKey(b.chain, b.token) ? -1 : 1;
  });
  const investedUsd = carriedInUsd.add(totals.boughtUsd).sub(totals.leftAtCostUsd);
  const gain = totals.realizedUsd.add(unrealizedUsd);
  return {
    method: input.method,
    window: input.window,
    feesInBasis: input.feesInBasis,
    realizedUsd: totals.realizedUsd,
    unrealizedUsd,
    investedUsd,
    carriedInUsd,
    boughtUsd: totals.boughtUsd,
    leftAtCostUsd: totals.leftAtCostUsd,
    proceedsUsd: totals.proceedsUsd,
    valueUsd,
    heldAtCostUsd,
    unknownProceedsUsd: totals.unknownProceedsUsd,
    unknownValueUsd,
    feesUsd: totals.feesUsd,
    unpricedFees: totals.unpricedFees,
    roi: investedUsd.sign() > 0 ? gain.div(investedUsd) : null,
    winRate: totals.closedPositions === 0 ? null : Rational.of(BigInt(totals.wins), BigInt(totals.closedPositions)),
    closedPositions: totals.closedPositions,
    unpricedTrades: totals.unpriced.length,
    unpriced: totals.unpriced,
    sales: totals.sales,
    unknownBasis,
    positions: rows,
  };
}

import { Rational } from './Rational.js';
import type { PnlMethod, UnknownOrigin } from './types.js';
import { usdShare } from './usdShare.js';

/** A raw amount acquired at once, with its cost (null = unknown, then `origin` says why) and acquisition order. */
export type Lot = { amount: bigint; costUsd: Rational | null; seq: number; origin?: UnknownOrigin };

/** The lots of one position, and how a removal picks which of them leave. */
export type LotBook = {
  /** Raw amount held. */
  amount(): bigint;
  /** Raw part of the held amount whose cost is unknown. */
  unknownAmount(): bigint;
  /** The unknown-cost amount held, by why its cost is unknown. */
  unknownByOrigin(): Record<UnknownOrigin, bigint>;
  /** Cost of the held amount whose cost is known. */
  knownBasis(): Rational;
  /** Adds lots; FIFO keeps them in acquisition order, so lots moved from elsewhere keep their age. */
  add(lots: readonly Lot[]): void;
  /** Removes up to `amount` and returns the removed pieces; they sum to less when less is held. */
  remove(amount: bigint): Lot[];
};

function byOrigin(lots: readonly Lot[]): Record<UnknownOrigin, bigint> {
  const sums: Record<UnknownOrigin, bigint> = { received: 0n, unpriced: 0n, unseen: 0n };
  for (const lot of lots) if (lot.costUsd === null) sums[lot.origin ?? 'received'] += lot.amount;
  return sums;
}

/** Takes `amount` from the front of `lots` (in place), splitting the cost of a lot taken in part. */
function takeFront(lots: Lot[], amount: bigint): Lot[] {
  const removed: Lot[] = [];
  let left = amount;
  while (left > 0n && lots.length > 0) {
    const lot = lots[0]!;
    if (lot.amount <= left) {
      removed.push(lots.shift()!);
      left -= lot.amount;
      continue;
    }
    const cost = lot.costUsd?.mul(Rational.of(left, lot.amount)) ?? null;
    removed.push({ ...lot, amount: left, costUsd: cost });
    lots[0] = { ...lot, amount: lot.amount - left, costUsd: cost && lot.costUsd!.sub(cost) };
    left = 0n;
  }
  return removed;
}

function insertBySeq(lots: Lot[], lot: Lot): void {
  let index = lots.length;
  while (index > 0 && lots[index - 1]!.seq > lot.seq) index--;
  lots.splice(index, 0, { ...lot });
}

function createFifoBook(): LotBook {
  // Note: sorted by seq; a removal takes from the front. The totals are kept as lots come and go
  // because they are read after every trade.
  const lots: Lot[] = [];
  let total = 0n;
  let unknown = 0n;
  const count = (lot: Lot, sign: 1n | -1n) => {
    total += sign * lot.amount;
    if (lot.costUsd === null) unknown += sign * lot.amount;
  };
  return {
    amount: () => total,
    unknownAmount: () => unknown,
    unknownByOrigin: () => byOrigin(lots),
    knownBasis: () => lots.reduce((sum, lot) => (lot.costUsd ? sum.add(lot.costUsd) : sum), Rational.ZERO),
    add(added) {
      for (const lot of added) {
        if (lot.amount <= 0n) continue;
        insertBySeq(lots, lot);
        count(lot, 1n);
      }
    },
    remove(amount) {
      const removed = takeFront(lots, amount);
      for (const lot of removed) count(lot, -1n);
      return removed;
    },
  };
}

function createAverageBook(): LotBook {
  // Note: one pool at the running average cost; unknown-cost units are kept apart (in acquisition
  // order, only so that their origin is known) and a removal takes known and unknown units in
  // proportion to what is held.
  let known = 0n;
  let basis = Rational.ZERO;
  const unknownLots: Lot[] = [];
  let unknown = 0n;
  return {
    amount: () => known + unknown,
    unknownAmount: () => unknown,
    unknownByOrigin: () => byOrigin(unknownLots),
    knownBasis: () => basis,
    add(added) {
      for (const lot of added) {
        if (lot.amount <= 0n) continue;
        if (lot.costUsd === null) {
          insertBySeq(unknownLots, lot);
          unknown += lot.amount;
        } else {
          known += lot.amount;
          basis = basis.add(lot.costUsd);
        }
      }
    },
    remove(amount) {
      const held = known + unknown;
      const taken = amount < held ? amount : held;
      if (taken <= 0n) return [];
      // Rounding down the known share keeps the unknown share within what is held.
      const knownTaken = (taken * known) / held;
      const unknownTaken = taken - knownTaken;
      const cost = usdShare(basis, knownTaken, known);
      known -= knownTaken;
      unknown -= unknownTaken;
      basis = basis.sub(cost);
      const removed: Lot[] = [];
      if (knownTaken > 0n) removed.push({ amount: knownTaken, costUsd: cost, seq: 0 });
      removed.push(...takeFront(unknownLots, unknownTaken));
      return removed;
    },
  };
}

/** An empty lot book that matches sales first-in-first-out or at the running average cost. */
export function createLotBook(method: PnlMethod): LotBook {
  switch (method) {
    case 'fifo':
      return createFifoBook();
    case 'average':
      return createAverageBook();
  }
}

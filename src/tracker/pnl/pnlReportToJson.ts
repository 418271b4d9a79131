import { Rational } from './Rational.js';
import type { PnlMethod, PnlReport, PnlWindow, UnknownOrigin, UnpricedReason } from './types.js';

/** A position of a report as JSON: USD with 2 decimals, amounts in whole units, prices as given. */
export type PnlPositionJson = {
  chain: string;
  token: string;
  symbol: string | null;
  decimals: number;
  amount: string;
  unknownBasisAmount: string;
  costBasisUsd: string;
  realizedUsd: string;
  unknownProceedsUsd: string;
  unrealizedUsd: string | null;
  valueUsd: string | null;
  priceUsd: string | null;
  priceAt: string | null;
};

/** A PnL report as JSON: decimal strings for every number that is money or an amount. */
export type PnlReportJson = {
  method: PnlMethod;
  window: PnlWindow;
  feesInBasis: boolean;
  realizedUsd: string;
  unrealizedUsd: string;
  investedUsd: string;
  carriedInUsd: string;
  boughtUsd: string;
  leftAtCostUsd: string;
  proceedsUsd: string;
  valueUsd: string;
  heldAtCostUsd: string;
  unknownProceedsUsd: string;
  unknownValueUsd: string;
  feesUsd: string;
  unpricedFees: number;
  /** A ratio with 4 decimals: "0.2500" is +25 %. */
  roi: string | null;
  winRate: string | null;
  closedPositions: number;
  unpricedTrades: number;
  unpriced: { id: string; tx: string; chain: string; wallet: string; time: string; kind: string; manual: boolean; reason: UnpricedReason }[];
  unknownBasis: {
    chain: string;
    token: string;
    symbol: string | null;
    amount: string;
    byOrigin: Record<UnknownOrigin, string>;
    valueUsd: string | null;
  }[];
  positions: PnlPositionJson[];
};

// Prices of small tokens need many digits; 18 covers any price quoted per whole token.
const PRICE_DIGITS = 18;
const RATIO_DIGITS = 4;

const usd = (value: Rational): string => value.toFixed(2);
const ratio = (value: Rational | null): string | null => value && value.toFixed(RATIO_DIGITS);

/** Formats a report for output and storage; rounding is half-even. */
export function pnlReportToJson(report: PnlReport): PnlReportJson {
  return {
    method: report.method,
    window: report.window,
    feesInBasis: report.feesInBasis,
    realizedUsd: usd(report.realizedUsd),
    unrealizedUsd: usd(report.unrealizedUsd),
    investedUsd: usd(report.investedUsd),
    carriedInUsd: usd(report.carriedInUsd),
    boughtUsd: usd(report.boughtUsd),
    leftAtCostUsd: usd(report.leftAtCostUsd),
    proceedsUsd: usd(report.proceedsUsd),
    valueUsd: usd(report.valueUsd),
    heldAtCostUsd: usd(report.heldAtCostUsd),
    unknownProceedsUsd: usd(report.unknownProceedsUsd),
    unknownValueUsd: usd(report.unknownValueUsd),
    feesUsd: usd(report.feesUsd),
    unpricedFees: report.unpricedFees,
    roi: ratio(report.roi),
    winRate: ratio(report.winRate),
    closedPositions: report.closedPositions,
    unpricedTrades: report.unpricedTrades,
    unpriced: report.unpriced.map((trade) => ({ ...trade, time: trade.time.toISOString() })),
    // Whole-unit amounts are exact: a raw amount over 10^decimals has at most `decimals` digits.
    unknownBasis: report.unknownBasis.map((entry) => ({
      chain: entry.chain,
      token: entry.token,
      symbol: entry.symbol,
      amount: wholeUnits(entry.amount, entry.decimals),
      byOrigin: {
        received: wholeUnits(entry.byOrigin.received, entry.decimals),
        unpriced: wholeUnits(entry.byOrigin.unpriced, entry.decimals),
        unseen: wholeUnits(entry.byOrigin.unseen, entry.decimals),
      },
      valueUsd: entry.valueUsd && usd(entry.valueUsd),
    })),
    positions: report.positions.map((position) => ({
      chain: position.chain,
      token: position.token,
      symbol: position.symbol,
      decimals: position.decimals,
      amount: wholeUnits(position.amount, position.decimals),
      unknownBasisAmount: wholeUnits(position.unknownBasisAmount, position.decimals),
      costBasisUsd: usd(position.costBasisUsd),
      realizedUsd: usd(position.realizedUsd),
      unknownProceedsUsd: usd(position.unknownProceedsUsd),
      unrealizedUsd: position.unrealizedUsd && usd(position.unrealizedUsd),
      valueUsd: position.valueUsd && usd(position.valueUsd),
      priceUsd: position.priceUsd && position.priceUsd.toDecimalString(PRICE_DIGITS),
      priceAt: position.priceAt && position.priceAt.toISOString(),
    })),
  };
}

function wholeUnits(raw: bigint, decimals: number): string {
  return Rational.fromRaw(raw, decimals).toDecimalString(decimals);
}

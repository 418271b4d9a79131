import { Rational } from './Rational.js';
import type { PnlMethod, PnlReport, PnlWindow } from './types.js';

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
  unrealizedUsd: string | null;
  valueUsd: string | null;
  priceUsd: string | null;
  priceAt: string | null;
};

/** A PnL report as JSON: decimal strings for every number that is money or an amount. */
export type PnlReportJson = {
  method: PnlMethod;
  window: PnlWindow;
  realizedUsd: string;
  unrealizedUsd: string;
  investedUsd: string;
  proceedsUsd: string;
  valueUsd: string;
  /** A ratio with 4 decimals: "0.2500" is +25 %. */
  roi: string | null;
  winRate: string | null;
  closedPositions: number;
  unpricedTrades: number;
  unknownBasis: { chain: string; token: string; amount: string }[];
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
    realizedUsd: usd(report.realizedUsd),
    unrealizedUsd: usd(report.unrealizedUsd),
    investedUsd: usd(report.investedUsd),
    proceedsUsd: usd(report.proceedsUsd),
    valueUsd: usd(report.valueUsd),
    roi: ratio(report.roi),
    winRate: ratio(report.winRate),
    closedPositions: report.closedPositions,
    unpricedTrades: report.unpricedTrades,
    // Whole-unit amounts are exact: a raw amount over 10^decimals has at most `decimals` digits.
    unknownBasis: report.unknownBasis.map((entry) => ({
      chain: entry.chain,
      token: entry.token,
      amount: wholeUnits(entry.amount, entry.decimals),
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

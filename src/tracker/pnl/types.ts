import type { TradeKind } from '../walletDeltas.js';
import type { Rational } from './Rational.js';

/** How sold amounts are matched against what was bought. */
export type PnlMethod = 'fifo' | 'average';

/** The period whose realized PnL, investment and proceeds a report counts. */
export type PnlWindow = '24h' | '7d' | '30d' | 'all';

/** One asset movement of a trade, as a signed raw amount (+ in, - out). */
export type PnlLeg = {
  /** `NATIVE`, an EVM token address in lower case, or a Solana mint. */
  asset: string;
  symbol: string | null;
  decimals: number;
  amount: bigint;
};

/** What one wallet of the scope did in one transaction, with its USD value at the time. */
export type PnlTrade = {
  /** Unique per trade. */
  id: string;
  /** Transaction hash or signature; pairs the two sides of a transfer between wallets of the scope. */
  tx: string;
  time: Date;
  chain: string;
  wallet: string;
  kind: TradeKind;
  /** Every asset the wallet gained or lost; `quoteAssets` tells which of them are money. */
  legs: PnlLeg[];
  /** USD value of the trade at its time; null when no price was known. */
  usd: string | null;
  /** The other address of a transfer, when known. */
  counterparty: string | null;
};

/** The latest known USD price of one whole token. */
export type PnlPrice = { priceUsd: string; at: Date };

/** Everything computePnl needs: the scope's whole history and the prices now. */
export type PnlInput = {
  /** The whole history of the scope, oldest first. */
  trades: readonly PnlTrade[];
  method: PnlMethod;
  window: PnlWindow;
  now: Date;
  /** Keyed by `positionKey(chain, asset)`. */
  prices: ReadonlyMap<string, PnlPrice>;
  /** Wallets of the scope (one wallet, a group or a workspace), in the form trades use. */
  scopeWallets: ReadonlySet<string>;
  /**
   * Position keys of assets that are money rather than positions, usually the chain's quote
   * assets (stablecoins, native, wrapped native). Their legs never open, move or close a
   * position; any asset left out is tracked as a position, consistently in every trade.
   */
  quoteAssets: ReadonlySet<string>;
};

/** One (chain, token) of the scope: what is held now and what it earned. */
export type PnlPosition = {
  chain: string;
  token: string;
  symbol: string | null;
  decimals: number;
  /** Raw amount held now. */
  amount: bigint;
  /** Raw part of `amount` whose cost is unknown (received from outside, or bought without a price). */
  unknownBasisAmount: bigint;
  /** Cost of the held amount whose cost is known. */
  costBasisUsd: Rational;
  /** Realized on sales inside the window. */
  realizedUsd: Rational;
  /** Value minus cost of the held amount whose cost is known; null without a price. */
  unrealizedUsd: Rational | null;
  /** Value of the whole held amount; null without a price. */
  valueUsd: Rational | null;
  priceUsd: Rational | null;
  priceAt: Date | null;
};

/** A held raw amount whose cost basis is unknown. */
export type UnknownBasis = { chain: string; token: string; decimals: number; amount: bigint };

/** The result of computePnl; money is exact, see pnlReportToJson for output. */
export type PnlReport = {
  method: PnlMethod;
  window: PnlWindow;
  realizedUsd: Rational;
  unrealizedUsd: Rational;
  investedUsd: Rational;
  proceedsUsd: Rational;
  valueUsd: Rational;
  /** (realized + unrealized) / invested; null when nothing was invested in the window. */
  roi: Rational | null;
  /** Share of positions closed in the window at a profit; null when none closed. */
  winRate: Rational | null;
  closedPositions: number;
  unpricedTrades: number;
  unknownBasis: UnknownBasis[];
  positions: PnlPosition[];
};

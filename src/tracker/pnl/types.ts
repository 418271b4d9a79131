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
  /** USD value of the fee this wallet paid (network fee, or a manual trade's fee); null when none or unpriced. */
  feeUsd: string | null;
  /** True when the fee was paid but could not be priced. */
  feeUnpriced: boolean;
  /** True for a trade entered by hand (off chain, over the counter, on an exchange). */
  manual: boolean;
};

/**
 * The latest known USD price of one whole token: when it was true, where it came from (`chainlink`, `pyth`,
 * `defillama`, `coingecko`, `dexscreener`, `trade`), and whether it is older than the stale limit.
 */
export type PnlPrice = { priceUsd: string; at: Date; source?: string; stale?: boolean };

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
  /** Fees added to the cost of what a trade buys, or deducted from the proceeds of what it sells. */
  feesInBasis: boolean;
};

/** Why a lot's cost is unknown: received from outside the scope, bought in a trade without a USD value, or sold or unwrapped beyond what the history shows. */
export type UnknownOrigin = 'received' | 'unpriced' | 'unseen';

/** Why a trade has no USD figures. */
export type UnpricedReason = 'no_usd_value' | 'several_tokens';

/** A buy, sell or swap of the window whose tokens moved at an unknown cost. */
export type UnpricedTrade = { id: string; tx: string; chain: string; wallet: string; time: Date; kind: TradeKind; manual: boolean; reason: UnpricedReason };

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
  /** Realized on sales inside the window, from lots of known cost. */
  realizedUsd: Rational;
  /** Proceeds inside the window of sales from lots of unknown cost: their gain is not measured. */
  unknownProceedsUsd: Rational;
  /** Value minus cost of the held amount whose cost is known; null without a price. */
  unrealizedUsd: Rational | null;
  /** Value of the whole held amount; null without a price. */
  valueUsd: Rational | null;
  priceUsd: Rational | null;
  priceAt: Date | null;
};

/** A held raw amount whose cost basis is unknown, by origin, and its value now (null without a price). */
export type UnknownBasis = {
  chain: string;
  token: string;
  symbol: string | null;
  decimals: number;
  amount: bigint;
  byOrigin: Record<UnknownOrigin, bigint>;
  valueUsd: Rational | null;
};

/**
 * The result of computePnl; money is exact, see pnlReportToJson for output.
 * Note: over the priced part (lots of known cost), realized + unrealized = proceeds + value - invested,
 * exactly; what has an unknown cost is reported beside it (unknownProceedsUsd, unknownValueUsd, unknownBasis).
 */
export type PnlReport = {
  method: PnlMethod;
  window: PnlWindow;
  feesInBasis: boolean;
  /** Proceeds minus cost of the window's sales from lots of known cost. */
  realizedUsd: Rational;
  /** Value minus cost of the held lots of known cost (0 for those valued at cost for lack of a price). */
  unrealizedUsd: Rational;
  /** carriedInUsd + boughtUsd - leftAtCostUsd: the cost the priced part stands on. */
  investedUsd: Rational;
  /** Cost of the lots of known cost held when the window began (0 for `all`). */
  carriedInUsd: Rational;
  /** Cost of the window's priced buys, fees included when feesInBasis. */
  boughtUsd: Rational;
  /** Cost of lots of known cost that left without a sale price in the window: transfers out, unpriced sales. */
  leftAtCostUsd: Rational;
  /** Proceeds of the window's sales from lots of known cost, fees deducted when feesInBasis. */
  proceedsUsd: Rational;
  /** Value now of the held lots of known cost; those without a price count at cost (heldAtCostUsd). */
  valueUsd: Rational;
  /** Cost of held lots of known cost that have no price now, counted in valueUsd at cost. */
  heldAtCostUsd: Rational;
  /** Proceeds of the window's sales from lots of unknown cost (or beyond what the history shows). */
  unknownProceedsUsd: Rational;
  /** Value now of held lots of unknown cost, where a price is known. */
  unknownValueUsd: Rational;
  /** Fees counted in the window (0 unless feesInBasis). */
  feesUsd: Rational;
  /** Trades of the window whose fee could not be priced (left out when feesInBasis). */
  unpricedFees: number;
  /** (realized + unrealized) / invested; null when nothing was invested in the window. */
  roi: Rational | null;
  /** Share of positions closed in the window at a profit; null when none closed. */
  winRate: Rational | null;
  closedPositions: number;
  unpricedTrades: number;
  unpriced: UnpricedTrade[];
  /** Per priced sale of the window, by trade id: what it realized, and its proceeds from lots of unknown cost. */
  sales: ReadonlyMap<string, { realizedUsd: Rational; unknownProceedsUsd: Rational }>;
  unknownBasis: UnknownBasis[];
  positions: PnlPosition[];
};

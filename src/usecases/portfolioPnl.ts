import { portfolioValueSeries } from '../db/holdingQueries.js';
import { listManualTrades } from '../db/manualTradeQueries.js';
import { findLatestPrice } from '../db/priceQueries.js';
import { EXCHANGE_MONEY, EXCHANGE_NAMES, isExchangeChain } from '../tracker/exchange/exchangeKinds.js';
import { nativeChainOf } from '../tracker/exchange/nativeChainOf.js';
import { getWorkspaceSettings } from '../db/workspaceSettings.js';
import { computePnl } from '../tracker/pnl/computePnl.js';
import { positionKey } from '../tracker/pnl/positionKey.js';
import { Rational } from '../tracker/pnl/Rational.js';
import type { PnlMethod, PnlPrice, PnlReport, PnlTrade, PnlWindow } from '../tracker/pnl/types.js';
import { windowStart } from '../tracker/pnl/windowStart.js';
import { mapWithConcurrency } from '../tracker/solana/mapWithConcurrency.js';
import { NATIVE } from '../tracker/walletDeltas.js';
import { parsePnlOptions, type PnlOptions } from './parsePnlOptions.js';
import { manualPnlTrade, onChainPnlTrades } from './pnlTrades.js';
import { pnlScope, type PnlScope } from './pnlScope.js';
import { quoteAssetsOf } from './quoteAssetsOf.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type { PnlOptions } from './parsePnlOptions.js';

/** A portfolio's PnL: the exact report, what it covers, and its value over time from the hourly snapshots. */
export type PortfolioPnl = {
  scope: PnlScope;
  method: PnlMethod;
  window: PnlWindow;
  /** When the report was computed; a position's price age is measured from it. */
  now: Date;
  report: PnlReport;
  /** How many trades, on chain and manual, the report was computed from. */
  trades: number;
  valueSeries: { at: Date; valueUsd: Rational }[];
};

// Note: a handful of requests at once: the price API and the RPC nodes behind the price service are shared.
const PRICE_CONCURRENCY = 4;

/**
 * Portfolio PnL of a wallet, a group or the whole workspace, under the workspace's method unless one is given:
 * realized and unrealized, invested, value, ROI and win rate, per token.
 */
export async function portfolioPnl(deps: UseCaseDeps, args: PnlOptions, now = new Date()): Promise<PortfolioPnl> {
  const options = parsePnlOptions(args);
  const settings = await getWorkspaceSettings(deps.db, deps.workspaceId);
  const method = options.method ?? settings.pnlMethod;
  const { scope, keys } = await pnlScope(deps, args);
  const manual = await listManualTrades(deps.db, deps.workspaceId, keys);
  const natives = new Map(deps.config.chains.map((chain) => [chain.name, { symbol: chain.nativeSymbol, decimals: chain.nativeDecimals }]));
  const trades = [...(await onChainPnlTrades(deps.db, keys, natives)), ...manual.map(manualPnlTrade)];
  const report = computePnl({
    trades,
    method,
    window: options.window,
    now,
    prices: await currentPrices(deps, trades),
    scopeWallets: new Set(keys.map((key) => key.address)),
    quoteAssets: quoteAssetsOf(deps.config),
    feesInBasis: settings.feesInBasis,
  });
  // Note: stablecoins are money to PnL, not positions; the value over time leaves them out too, so the chart, the
  // allocation and the report's value count the same holdings.
  const money = [
    ...deps.config.chains.flatMap((chain) => chain.stablecoins.map((asset) => ({ chain: chain.name, asset }))),
    ...EXCHANGE_NAMES.flatMap((exchange) => [...EXCHANGE_MONEY].map((asset) => ({ chain: exchange, asset }))),
  ];
  const series = await portfolioValueSeries(deps.db, keys, windowStart(options.window, now) ?? new Date(0), money);
  return {
    scope,
    method,
    window: options.window,
    now,
    report,
    trades: trades.length,
    valueSeries: series.map((point) => ({ at: point.at, valueUsd: Rational.parse(point.valueUsd) })),
  };
}

/** The latest price of every asset the trades touch, a few asked at once; the wrapped native is priced as the native coin. */
async function currentPrices(deps: UseCaseDeps, trades: readonly PnlTrade[]): Promise<Map<string, PnlPrice>> {
  const quoteAssets = quoteAssetsOf(deps.config);
  const wrapped = new Map(deps.config.chains.flatMap((chain) => (chain.wrappedNative ? [[chain.name, chain.wrappedNative] as const] : [])));
  const wanted = new Map<string, { chain: string; asset: string }>();
  const exchangeHeld = new Map<string, { chain: string; asset: string }>();
  for (const trade of trades) {
    if (isExchangeChain(trade.chain)) {
      for (const leg of trade.legs) {
        const key = positionKey(trade.chain, leg.asset);
        if (!quoteAssets.has(key)) exchangeHeld.set(key, { chain: trade.chain, asset: leg.asset });
      }
      continue;
    }
    // A manual wallet's symbols have no chain to price them on: they are held at cost.
    if (!deps.config.chains.some((candidate) => candidate.name === trade.chain)) continue;
    for (const leg of trade.legs) {
      const key = positionKey(trade.chain, leg.asset);
      if (!quoteAssets.has(key)) wanted.set(key, { chain: trade.chain, asset: leg.asset });
    }
  }
  const entries = [...wanted];
  const found = await mapWithConcurrency(entries, PRICE_CONCURRENCY, ([, { chain, asset }]) =>
    deps.prices(chain, wrapped.get(chain) === asset ? NATIVE : asset),
  );
  const prices = new Map<string, PnlPrice>();
  entries.forEach(([key], index) => {
    const price = found[index];
    if (price) prices.set(key, price);
  });
  // Note: an exchange account's assets are symbols, not chain assets. A coin that is a configured chain's native coin
  // (BTC, XLM, SOL, ETH) is priced as that coin, so the same coin is worth the same on chain and on the exchange; the
  // exchange's own last fill is the price of any other coin, and of that coin while its market price is missing or stale.
  for (const [key, { chain, asset }] of exchangeHeld) {
    const coinChain = nativeChainOf(deps.config.chains, asset);
    const market = coinChain === null ? null : await deps.prices(coinChain, NATIVE);
    if (market && !market.stale) {
      prices.set(key, market);
      continue;
    }
    const row = await findLatestPrice(deps.db, chain, asset, ['trade']);
    if (row) prices.set(key, { priceUsd: row.priceUsd, at: row.observedAt, source: row.source });
    else if (market) prices.set(key, market);
  }
  return prices;
}

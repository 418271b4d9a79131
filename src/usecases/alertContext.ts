import { holdingBefore } from '../db/alertContextQueries.js';
import type { AlertTrade } from '../db/alertQueries.js';
import { listManualTrades } from '../db/manualTradeQueries.js';
import { getWorkspaceSettings } from '../db/workspaceSettings.js';
import { computePnl } from '../tracker/pnl/computePnl.js';
import { Rational } from '../tracker/pnl/Rational.js';
import type { PnlMethod, PnlTrade } from '../tracker/pnl/types.js';
import { manualPnlTrade, onChainPnlTrades } from './pnlTrades.js';
import { quoteAssetsOf } from './quoteAssetsOf.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** The wallet's position in the alert's token around the trade, from its stored balance changes; raw and exact. */
export type AlertPosition = {
  asset: string;
  before: bigint;
  after: bigint;
  /** The trade bought the token (a buy or a swap into it) and the wallet had never received it before. */
  firstBuy: boolean;
};

/** What a sale of the alert's token realized, under the workspace's method, over the wallet's trades up to it. */
export type AlertSale = {
  method: PnlMethod;
  /** Proceeds minus cost of the part sold from lots of known cost. */
  realizedUsd: Rational;
  /** Proceeds of the part sold from lots of unknown cost (received, bought unpriced): its gain is not measured. */
  unknownProceedsUsd: Rational;
  /** The share of the holding before the sale that was sold; null when the stored history shows less than was sold. */
  soldShare: Rational | null;
};

/** What an alert shows beyond the trade itself. */
export type AlertContext = { position: AlertPosition | null; sale: AlertSale | null };

/** The key of an alert's context: one trade as one workspace sees it. */
export const alertContextKey = (tradeId: number, workspaceId: string): string => `${tradeId}|${workspaceId}`;

/** The asset an alert is about: what was bought or sold, or the one token of a transfer. */
export function alertAsset(trade: Pick<AlertTrade, 'baseAsset' | 'changes'>): string | null {
  if (trade.baseAsset !== null) return trade.baseAsset;
  return trade.changes.length === 1 ? trade.changes[0]!.asset : null;
}

type WalletHistory = { method: PnlMethod; feesInBasis: boolean; quoteAssets: ReadonlySet<string>; onChain: PnlTrade[]; manual: PnlTrade[] };

/**
 * The position and, on a sale, the realized PnL behind each alert of a batch, keyed by `alertContextKey`.
 * A trade undone by a reorg has no context: its correction shows only what was retracted.
 */
export async function alertContexts(
  deps: Pick<UseCaseDeps, 'db' | 'config'>,
  items: readonly { trade: AlertTrade; workspaceId: string }[],
): Promise<Map<string, AlertContext>> {
  const contexts = new Map<string, AlertContext>();
  // Note: one history per workspace and wallet, read once for a burst of alerts.
  const histories = new Map<string, Promise<WalletHistory>>();
  const historyOf = (workspaceId: string, trade: AlertTrade) => {
    const key = `${workspaceId}|${trade.chain}|${trade.wallet}`;
    let history = histories.get(key);
    if (!history) {
      history = loadHistory(deps, workspaceId, trade);
      histories.set(key, history);
    }
    return history;
  };
  for (const { trade, workspaceId } of items) {
    if (trade.revertedAt !== null || contexts.has(alertContextKey(trade.id, workspaceId))) continue;
    const asset = alertAsset(trade);
    const delta = trade.changes.find((change) => change.asset === asset)?.amount;
    if (asset === null || delta === undefined) {
      contexts.set(alertContextKey(trade.id, workspaceId), { position: null, sale: null });
      continue;
    }
    const before = await holdingBefore(deps.db, trade, asset);
    const bought = trade.kind === 'buy' || trade.kind === 'swap';
    const position: AlertPosition = { asset, before: before.amount, after: before.amount + delta, firstBuy: bought && delta > 0n && before.earlierIns === 0 };
    const sale = trade.kind === 'sell' && delta < 0n ? await saleOf(await historyOf(workspaceId, trade), trade, -delta, before.amount) : null;
    contexts.set(alertContextKey(trade.id, workspaceId), { position, sale });
  }
  return contexts;
}

async function loadHistory(deps: Pick<UseCaseDeps, 'db' | 'config'>, workspaceId: string, trade: AlertTrade): Promise<WalletHistory> {
  const keys = [{ chain: trade.chain, address: trade.wallet }];
  const settings = await getWorkspaceSettings(deps.db, workspaceId);
  const manual = await listManualTrades(deps.db, workspaceId, keys);
  return {
    method: settings.pnlMethod,
    feesInBasis: settings.feesInBasis,
    quoteAssets: quoteAssetsOf(deps.config),
    onChain: await onChainPnlTrades(deps.db, keys),
    manual: manual.map(manualPnlTrade),
  };
}

/** Runs the PnL engine over the wallet's trades up to and including the sale; null when the sale had no USD value. */
function saleOf(history: WalletHistory, trade: AlertTrade, sold: bigint, before: bigint): AlertSale | null {
  const index = history.onChain.findIndex((candidate) => candidate.id === String(trade.id));
  if (index < 0) return null;
  const at = history.onChain[index]!.time;
  const report = computePnl({
    trades: [...history.onChain.slice(0, index + 1), ...history.manual.filter((manual) => manual.time <= at)],
    method: history.method,
    window: 'all',
    now: at,
    prices: new Map(),
    scopeWallets: new Set([trade.wallet]),
    quoteAssets: history.quoteAssets,
    feesInBasis: history.feesInBasis,
  });
  const result = report.sales.get(String(trade.id));
  if (!result) return null;
  return {
    method: history.method,
    realizedUsd: result.realizedUsd,
    unknownProceedsUsd: result.unknownProceedsUsd,
    soldShare: before > 0n && sold <= before ? Rational.of(sold, before) : null,
  };
}

import { listManualTrades } from '../db/manualTradeQueries.js';
import { listTrades } from '../db/tradeQueries.js';
import { getWorkspaceSettings } from '../db/workspaceSettings.js';
import { toDecimalString } from '../tracker/formatAmount.js';
import { computePnl } from '../tracker/pnl/computePnl.js';
import type { PnlMethod } from '../tracker/pnl/types.js';
import { parseDuration } from './parseDuration.js';
import { manualPnlTrade, onChainPnlTrades } from './pnlTrades.js';
import { pnlScope } from './pnlScope.js';
import { quoteAssetsOf } from './quoteAssetsOf.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type ExportTradesArgs = { wallet?: string | undefined; group?: string | undefined; since?: string | undefined };

/** The columns of the trades export, in order. */
export const TRADES_CSV_COLUMNS = [
  'date',
  'chain',
  'tx',
  'wallet',
  'kind',
  'manual',
  'amount',
  'symbol',
  'quote_amount',
  'quote_symbol',
  'usd_value',
  'fee',
  'fee_symbol',
  'fee_usd',
  'realized_pnl_usd',
  'unknown_cost_proceeds_usd',
  'note',
] as const;

/** One exported trade: exact decimal strings in whole units (USD as stored, PnL to the cent), empty where there is no value. */
export type TradeCsvRow = Record<(typeof TRADES_CSV_COLUMNS)[number], string>;

/**
 * Every trade of the scope, on chain and manual, oldest first: amounts in whole units, and for each priced sale
 * the PnL it realized under the workspace's method (and what it sold from lots of unknown cost).
 */
export async function exportTradesCsv(deps: UseCaseDeps, args: ExportTradesArgs, now = new Date()): Promise<{ method: PnlMethod; rows: TradeCsvRow[] }> {
  const since = args.since === undefined ? undefined : new Date(now.getTime() - parseDuration(args.since));
  const { keys, walletIds } = await pnlScope(deps, args);
  const settings = await getWorkspaceSettings(deps.db, deps.workspaceId);
  const onChain = await onChainPnlTrades(deps.db, keys);
  const manual = await listManualTrades(deps.db, deps.workspaceId, keys);
  const report = computePnl({
    trades: [...onChain, ...manual.map(manualPnlTrade)],
    method: settings.pnlMethod,
    window: 'all',
    now,
    prices: new Map(),
    scopeWallets: new Set(keys.map((key) => key.address)),
    quoteAssets: quoteAssetsOf(deps.config),
    feesInBasis: settings.feesInBasis,
  });
  const sale = (id: string) => report.sales.get(id);
  const feeUsd = new Map(onChain.map((trade) => [trade.id, trade.feeUsd]));
  const rows: { time: Date; row: TradeCsvRow }[] = [];
  const listed = await listTrades(deps.db, { workspaceId: deps.workspaceId, walletIds, since, limit: Number.MAX_SAFE_INTEGER });
  for (const trade of listed) {
    const chain = deps.config.chains.find((candidate) => candidate.name === trade.chain);
    const amount = (raw: bigint | null, decimals: number | null) => (raw === null ? '' : decimals === null ? raw.toString() : toDecimalString(raw, decimals));
    const result = sale(String(trade.id));
    const time = trade.blockTime ?? trade.createdAt;
    rows.push({
      time,
      row: {
        date: time.toISOString(),
        chain: trade.chain,
        tx: trade.txHash,
        wallet: trade.label,
        kind: trade.kind,
        manual: 'no',
        amount: amount(trade.baseAmount, trade.base.decimals),
        symbol: trade.base.symbol ?? trade.baseAsset ?? '',
        quote_amount: amount(trade.quoteAmount, trade.quote.decimals),
        quote_symbol: trade.quote.symbol ?? trade.quoteAsset ?? '',
        usd_value: trade.usdValue ?? '',
        fee: chain ? toDecimalString(trade.fee, chain.nativeDecimals) : trade.fee.toString(),
        fee_symbol: chain?.nativeSymbol ?? '',
        fee_usd: feeUsd.get(String(trade.id)) ?? '',
        realized_pnl_usd: result ? result.realizedUsd.toFixed(2) : '',
        unknown_cost_proceeds_usd: result ? result.unknownProceedsUsd.toFixed(2) : '',
        note: '',
      },
    });
  }
  for (const trade of manual) {
    if (since !== undefined && trade.tradedAt < since) continue;
    const result = sale(`manual-${trade.id}`);
    rows.push({
      time: trade.tradedAt,
      row: {
        date: trade.tradedAt.toISOString(),
        chain: trade.chain,
        tx: `manual-${trade.id}`,
        wallet: trade.label,
        kind: trade.side,
        manual: 'yes',
        amount: toDecimalString(trade.amount, trade.decimals),
        symbol: trade.symbol ?? trade.asset,
        quote_amount: toDecimalString(trade.quoteAmount, trade.quoteDecimals),
        quote_symbol: trade.quoteSymbol ?? trade.quoteAsset,
        usd_value: trade.usdValue ?? '',
        fee: trade.feeAmount === null || trade.feeDecimals === null ? '' : toDecimalString(trade.feeAmount, trade.feeDecimals),
        fee_symbol: trade.feeSymbol ?? trade.feeAsset ?? '',
        fee_usd: trade.feeUsd ?? '',
        realized_pnl_usd: result ? result.realizedUsd.toFixed(2) : '',
        unknown_cost_proceeds_usd: result ? result.unknownProceedsUsd.toFixed(2) : '',
        note: trade.note ?? '',
      },
    });
  }
  rows.sort((a, b) => a.time.getTime() - b.time.getTime());
  return { method: settings.pnlMethod, rows: rows.map(({ row }) => row) };
}

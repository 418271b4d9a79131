import { listManualTrades, manualPnlTrade } from '../../db/manualTradeQueries.js';
import { loadPnlTrades } from '../../db/pnlQueries.js';
import { listTrades } from '../../db/tradeQueries.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { toDecimalString } from '../../tracker/formatAmount.js';
import { computePnl } from '../../tracker/pnl/computePnl.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { parseDuration } from './parseDuration.js';
import { quoteAssetsOf, scopeOf, workspaceFeesInBasis, workspaceMethod } from './pnl.js';
import { walletsByRef } from './walletsByRef.js';

export type TradesCsvArgs = { wallet?: string | undefined; group?: string | undefined; since?: string | undefined };

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

type CsvRow = Record<(typeof TRADES_CSV_COLUMNS)[number], string>;

/**
 * Every trade of the scope, on chain and manual, oldest first, as CSV: amounts in whole units, and for each
 * priced sale the PnL it realized under the workspace's method (and what it sold from lots of unknown cost).
 */
export async function tradesCsv(ctx: CommandContext, args: TradesCsvArgs, now = new Date()): Promise<Reply & { file: { name: string; content: string } }> {
  if (args.wallet !== undefined && args.group !== undefined) throw new UserInputError('Give either a wallet or a group, not both.');
  const since = args.since === undefined ? undefined : new Date(now.getTime() - parseDuration(args.since));
  const { keys } = await scopeOf(ctx, args);
  const walletIds = await walletsByRef(ctx, args);
  const method = await workspaceMethod(ctx);
  const onChain = await loadPnlTrades(ctx.db, keys);
  const manual = await listManualTrades(ctx.db, ctx.workspaceId, keys);
  const report = computePnl({
    trades: [...onChain, ...manual.map(manualPnlTrade)],
    method,
    window: 'all',
    now,
    prices: new Map(),
    scopeWallets: new Set(keys.map((key) => key.address)),
    quoteAssets: quoteAssetsOf(ctx),
    feesInBasis: await workspaceFeesInBasis(ctx),
  });
  const sale = (id: string) => report.sales.get(id);
  const feeUsd = new Map(onChain.map((trade) => [trade.id, trade.feeUsd]));
  const rows: { time: Date; row: CsvRow }[] = [];
  const listed = await listTrades(ctx.db, { workspaceId: ctx.workspaceId, walletIds, since, limit: Number.MAX_SAFE_INTEGER });
  for (const trade of listed) {
    const chain = ctx.config.chains.find((candidate) => candidate.name === trade.chain);
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
  const content = [TRADES_CSV_COLUMNS.join(','), ...rows.map(({ row }) => TRADES_CSV_COLUMNS.map((column) => csvField(row[column])).join(','))].join('\r\n') + '\r\n';
  return {
    title: `Trades CSV (${rows.length})`,
    tone: 'info',
    lines: [`${rows.length} trade${rows.length === 1 ? '' : 's'}, realized PnL per sale by ${method === 'fifo' ? 'FIFO' : 'average cost'}.`],
    data: rows.map(({ row }) => row),
    file: { name: 'lookout-trades.csv', content },
  };
}

/** One CSV field (RFC 4180); text that a spreadsheet would run as a formula is prefixed with a quote mark. */
export function csvField(value: string): string {
  const safe = /^[=+@\t\r]/.test(value) || (/^-/.test(value) && !/^-\d+(\.\d+)?$/.test(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

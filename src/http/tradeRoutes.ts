import { z } from 'zod';
import { toDecimalString } from '../tracker/formatAmount.js';
import { listTradePage, MAX_TRADE_PAGE, type TradePageRow } from '../usecases/listTradePage.js';
import { errorResponses, scopeQuerySchema, tradePageSchema, tradeSchema } from './apiSchemas.js';
import type { RouteContext, ZodApp } from './RouteContext.js';

const tradesQuery = scopeQuerySchema.extend({
  chain: z.string().max(64).optional(),
  kind: z.string().max(20).optional().describe('buy, sell, swap, transfer_in, transfer_out, wrap, unwrap or other'),
  since: z.string().max(40).optional().describe('an ISO-8601 time, or a duration before now such as 24h'),
  until: z.string().max(40).optional().describe('an ISO-8601 time; trades before it'),
  cursor: z.string().max(200).optional().describe('the next value of the page before'),
  limit: z.coerce.number().int().min(1).max(MAX_TRADE_PAGE).optional().describe(`trades per page, 1 to ${MAX_TRADE_PAGE} (default 50)`),
});

/** Trades: the stored on-chain trades of the workspace, newest first, filtered, one page at a time. */
export function registerTradeRoutes(app: ZodApp, ctx: RouteContext): void {
  app.get(
    '/trades',
    { schema: { summary: 'Stored trades, newest first, with cursor pagination', tags: ['trades'], querystring: tradesQuery, response: { 200: tradePageSchema, ...errorResponses } } },
    async (request) => {
      const page = await listTradePage(ctx.deps(request), request.query);
      return { trades: page.trades.map(tradeJson), next: page.next };
    },
  );
}

function tradeJson(trade: TradePageRow): z.infer<typeof tradeSchema> {
  return {
    id: trade.id,
    chain: trade.chain,
    wallet: trade.wallet,
    label: trade.label,
    txHash: trade.txHash,
    blockNumber: trade.blockNumber.toString(),
    blockTime: trade.blockTime?.toISOString() ?? null,
    kind: trade.kind,
    base: leg(trade.baseAsset, trade.baseAmount, trade.base),
    quote: leg(trade.quoteAsset, trade.quoteAmount, trade.quote),
    feeRaw: trade.fee.toString(),
    usdValue: trade.usdValue,
    venue: trade.venue,
    counterparty: trade.counterparty,
    failed: trade.failed,
    spam: trade.isSpam,
  };
}

function leg(asset: string | null, amount: bigint | null, token: { symbol: string | null; decimals: number | null }): z.infer<typeof tradeSchema>['base'] {
  return {
    asset,
    symbol: token.symbol,
    decimals: token.decimals,
    amount: amount === null || token.decimals === null ? null : toDecimalString(amount, token.decimals),
    rawAmount: amount === null ? null : amount.toString(),
  };
}

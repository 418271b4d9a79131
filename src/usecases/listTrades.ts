import { listManualTrades, type ManualTradeListing } from '../db/manualTradeQueries.js';
import { listTrades as loadTrades, type TradeListing } from '../db/tradeQueries.js';
import { parseDuration } from './parseDuration.js';
import { pnlScope } from './pnlScope.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type { TradeListing } from '../db/tradeQueries.js';
export type { ManualTradeListing } from '../db/manualTradeQueries.js';

export type ListTradesArgs = { wallet?: string | undefined; group?: string | undefined; since?: string | undefined; limit?: number | undefined };

/** The trades of a scope, newest first: stored on-chain trades, and manual ones (at most `limit` of each, 50 by default). */
export async function listTrades(
  deps: Pick<UseCaseDeps, 'db' | 'workspaceId'>,
  args: ListTradesArgs,
  now = new Date(),
): Promise<{ onChain: TradeListing[]; manual: ManualTradeListing[] }> {
  const since = args.since === undefined ? undefined : new Date(now.getTime() - parseDuration(args.since));
  const { keys, walletIds } = await pnlScope(deps, args);
  const limit = args.limit ?? 50;
  const onChain = await loadTrades(deps.db, { workspaceId: deps.workspaceId, walletIds, since, limit });
  // Newest first and as many as on-chain ones, so that a long manual history does not crowd the answer.
  const manual = (await listManualTrades(deps.db, deps.workspaceId, keys))
    .filter((row) => since === undefined || row.tradedAt >= since)
    .reverse()
    .slice(0, limit);
  return { onChain, manual };
}

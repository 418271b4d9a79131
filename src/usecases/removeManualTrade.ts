import { DbNotFound } from '../db/DbError.js';
import { deleteManualTrade, type ManualTradeRow } from '../db/manualTradeQueries.js';
import { parseTradeId } from './parseManualTrade.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** Removes a manual trade of the workspace by its id (as typed, `#3` or `3`); PnL no longer counts it. */
export async function removeManualTrade(deps: UseCaseDeps, idText: string | undefined): Promise<ManualTradeRow> {
  const id = parseTradeId(idText);
  const removed = await deleteManualTrade(deps.db, { workspaceId: deps.workspaceId, id, actor: deps.actor });
  if (!removed) throw new DbNotFound({ entity: 'manual_trade', id });
  return removed;
}

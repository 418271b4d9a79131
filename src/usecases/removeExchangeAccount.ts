import { deleteExchangeAccount } from '../db/exchangeQueries.js';
import { UserInputError } from '../errors/LookoutError.js';
import type { ExchangeName } from '../tracker/exchange/exchangeKinds.js';
import { wordDbErrors } from './dbErrorMessage.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** Removes an exchange account by its label, with its sealed key and its wallet; the trades stored stay in the history. */
export async function removeExchangeAccount(deps: UseCaseDeps, args: { label?: string | undefined }): Promise<{ exchange: ExchangeName; label: string }> {
  const label = args.label?.trim();
  if (!label) throw new UserInputError('Name the account to remove: exchange remove <label>, as exchange list shows it.');
  const removed = await wordDbErrors(() => deleteExchangeAccount(deps.db, { workspaceId: deps.workspaceId, label, actor: deps.actor }));
  deps.events.emit({ type: 'wallets_changed', workspaceId: deps.workspaceId, chains: [removed.exchange] });
  return { exchange: removed.exchange, label: removed.label };
}

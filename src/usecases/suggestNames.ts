import { groupNames } from '../db/groupQueries.js';
import { walletLabelsContaining } from '../db/walletQueries.js';
import { findControlCharacter } from '../text/clipText.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** What a name being typed may be: a wallet's label, a group's name, or either (a PnL target). */
export type NameKind = 'wallet' | 'group' | 'target';

/** The workspace's names of that kind that contain what was typed (in any case), groups before wallets, each once, at most `limit`. */
export async function suggestNames(
  deps: Pick<UseCaseDeps, 'db' | 'workspaceId'>,
  args: { kind: NameKind; typed: string; limit: number },
): Promise<string[]> {
  const typed = args.typed.toLowerCase();
  // Nothing a control character could match is stored, and Postgres refuses NUL: no suggestion, no query.
  if (findControlCharacter(typed) !== undefined) return [];
  const groups = args.kind === 'wallet' ? [] : await groupNames(deps.db, deps.workspaceId);
  const wallets = args.kind === 'group' ? [] : await walletLabelsContaining(deps.db, deps.workspaceId, typed);
  return [...new Set([...groups, ...wallets])].filter((name) => name.toLowerCase().includes(typed)).slice(0, args.limit);
}

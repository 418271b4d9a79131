import { relabelWallet as storeLabel } from '../db/relabelWallet.js';
import type { TrackedWallet } from '../db/walletQueries.js';
import type { UseCaseDeps } from './UseCaseDeps.js';
import { validateLabel } from './validateNames.js';

/** Renames a wallet (named by its label or address) on every chain it is tracked on; answers with its rows. */
export async function relabelWallet(deps: UseCaseDeps, args: { wallet: string; label: string }): Promise<TrackedWallet[]> {
  return storeLabel(deps.db, { workspaceId: deps.workspaceId, ref: args.wallet, label: validateLabel(args.label), actor: deps.actor });
}

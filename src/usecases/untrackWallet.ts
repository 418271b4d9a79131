import { untrackWallet as removeTrackedWallet, type TrackedWallet } from '../db/walletQueries.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type UntrackArgs = { wallet: string; chain?: string | undefined };

/** Stops tracking a wallet named by its label or its address (on every chain, or one); answers with the rows removed. */
export async function untrackWallet(deps: UseCaseDeps, args: UntrackArgs): Promise<TrackedWallet[]> {
  const removed = await removeTrackedWallet(deps.db, {
    workspaceId: deps.workspaceId,
    ref: args.wallet,
    actor: deps.actor,
    chain: args.chain?.toLowerCase(),
  });
  deps.events.emit({ type: 'wallets_changed', workspaceId: deps.workspaceId, chains: removed.map((wallet) => wallet.chain) });
  return removed;
}

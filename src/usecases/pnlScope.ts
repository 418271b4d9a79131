import { groupWallets, requireGroup } from '../db/groupQueries.js';
import type { WalletKey } from '../db/pnlQueries.js';
import { listWallets, requireWallets } from '../db/walletQueries.js';
import { UserInputError } from '../errors/LookoutError.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** What a report covers: one wallet (by its label), one group, or every wallet of the workspace. */
export type PnlScope = { kind: 'wallet'; label: string } | { kind: 'group'; name: string } | { kind: 'workspace' };

/** The wallets (by chain and address and by row id) that a `--wallet` or `--group` names; every wallet of the workspace when neither is given. */
export async function pnlScope(
  deps: Pick<UseCaseDeps, 'db' | 'workspaceId'>,
  args: { wallet?: string | undefined; group?: string | undefined },
): Promise<{ scope: PnlScope; keys: WalletKey[]; walletIds: number[] | undefined }> {
  if (args.wallet !== undefined && args.group !== undefined) throw new UserInputError('Give either a wallet or a group, not both.');
  const keyOf = (wallet: { chain: string; address: string }): WalletKey => ({ chain: wallet.chain, address: wallet.address });
  if (args.wallet !== undefined) {
    const found = await requireWallets(deps.db, deps.workspaceId, args.wallet);
    return { scope: { kind: 'wallet', label: found[0]!.label }, keys: found.map(keyOf), walletIds: found.map((wallet) => wallet.id) };
  }
  if (args.group !== undefined) {
    const group = await requireGroup(deps.db, deps.workspaceId, args.group);
    const members = await groupWallets(deps.db, deps.workspaceId, group.id);
    return { scope: { kind: 'group', name: group.name }, keys: members.map(keyOf), walletIds: members.map((wallet) => wallet.id) };
  }
  return { scope: { kind: 'workspace' }, keys: (await listWallets(deps.db, deps.workspaceId)).map(keyOf), walletIds: undefined };
}

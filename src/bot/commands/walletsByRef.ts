import { groupWalletIds, requireGroup } from '../../db/groupQueries.js';
import { requireWallets } from '../../db/walletQueries.js';
import type { CommandContext } from '../commandContext.js';

/** The wallet rows a `--wallet` or `--group` names; undefined for the whole workspace. */
export async function walletsByRef(ctx: CommandContext, args: { wallet?: string | undefined; group?: string | undefined }): Promise<number[] | undefined> {
  if (args.wallet !== undefined) return (await requireWallets(ctx.db, ctx.workspaceId, args.wallet)).map((w) => w.id);
  if (args.group !== undefined) return groupWalletIds(ctx.db, (await requireGroup(ctx.db, ctx.workspaceId, args.group)).id);
  return undefined;
}

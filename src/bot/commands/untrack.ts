import { untrackWallet } from '../../db/walletQueries.js';
import { displayAddress } from '../../tracker/walletAddress.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';

export type UntrackArgs = { wallet: string; chain?: string | undefined };

/** Stops tracking a wallet named by its label or its address. */
export async function untrack(ctx: CommandContext, args: UntrackArgs): Promise<Reply> {
  const removed = await untrackWallet(ctx.db, {
    workspaceId: ctx.workspaceId,
    ref: args.wallet,
    actor: ctx.actor,
    chain: args.chain?.toLowerCase(),
  });
  const chains = removed.map((wallet) => wallet.chain);
  ctx.events.emit({ type: 'wallets_changed', workspaceId: ctx.workspaceId, chains });
  const { label, address } = removed[0]!;
  return {
    title: 'Wallet untracked',
    tone: 'success',
    lines: [[{ text: 'Stopped tracking ' }, { text: label, bold: true }, { text: ` on ${chains.join(', ')}.` }]],
    data: { address: displayAddress(address), label, chains },
  };
}

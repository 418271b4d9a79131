import { displayAddress } from '../../tracker/walletAddress.js';
import { untrackWallet, type UntrackArgs } from '../../usecases/untrackWallet.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { wordDbErrors } from './dbErrorMessage.js';

export type { UntrackArgs } from '../../usecases/untrackWallet.js';

/** Stops tracking a wallet named by its label or its address. */
export async function untrack(ctx: CommandContext, args: UntrackArgs): Promise<Reply> {
  const removed = await wordDbErrors(() => untrackWallet(ctx, args));
  const chains = removed.map((wallet) => wallet.chain);
  const { label, address } = removed[0]!;
  return {
    title: 'Wallet untracked',
    tone: 'success',
    lines: [[{ text: 'Stopped tracking ' }, { text: label, bold: true }, { text: ` on ${chains.join(', ')}.` }]],
    data: { address: displayAddress(address), label, chains },
  };
}

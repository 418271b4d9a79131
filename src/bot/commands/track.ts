import { explorerUrl } from '../../config/chainPresets.js';
import { displayAddress } from '../../tracker/walletAddress.js';
import { trackWallet, type TrackArgs } from '../../usecases/trackWallet.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { wordDbErrors } from './dbErrorMessage.js';

export type { TrackArgs } from '../../usecases/trackWallet.js';

/** Tracks an address: an EVM address on every followed EVM chain unless a chain is named, a Solana address on Solana. */
export async function track(ctx: CommandContext, args: TrackArgs): Promise<Reply> {
  const tracked = await wordDbErrors(() => trackWallet(ctx, args));
  const shown = displayAddress(tracked.address);
  const chains = tracked.chains.map((chain) => chain.name);
  return {
    title: 'Wallet tracked',
    tone: 'success',
    lines: [
      [
        { text: 'Tracking ' },
        { text: tracked.label, bold: true },
        { text: ' (' },
        { text: shown, code: true, url: explorerUrl(tracked.chains[0]!, 'address', shown) },
        { text: `) on ${chains.join(', ')}${tracked.group ? ` in group ${tracked.group}` : ''}.` },
      ],
      ...(tracked.history ? [tracked.history] : []),
    ],
    data: { address: shown, label: tracked.label, chains, group: tracked.group },
  };
}

import { trackManualWallet, type TrackManualArgs } from '../../usecases/trackManualWallet.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { wordDbErrors } from './dbErrorMessage.js';

export type { TrackManualArgs } from '../../usecases/trackManualWallet.js';

/** Adds a wallet without an address, for trades made off chain (over the counter, on an exchange). */
export async function trackManual(ctx: CommandContext, args: TrackManualArgs): Promise<Reply> {
  const added = await wordDbErrors(() => trackManualWallet(ctx, args));
  return {
    title: 'Manual wallet added',
    tone: 'success',
    lines: [`${added.label} has no address: record its trades with lookout trade add buy 2 ETH --for 20 USD --wallet ${added.label}.`],
    data: added,
  };
}

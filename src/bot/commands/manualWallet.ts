import { trackWallet } from '../../db/walletQueries.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { validateGroupName, validateLabel } from './validateNames.js';

/** The chain of a manual wallet: it has no address and is never followed, only traded by hand. */
export const MANUAL_CHAIN = 'manual';

/** The stored address of a manual wallet: its label, so that the label stays unique in the workspace. */
export function manualAddress(label: string): string {
  return `manual:${label.toLowerCase()}`;
}

export type TrackManualArgs = { label: string; group?: string | undefined };

/** Checks a manual wallet's label and group before anything is read. */
export function parseTrackManual(args: TrackManualArgs): { label: string; group: string | undefined } {
  return { label: validateLabel(args.label), group: args.group === undefined ? undefined : validateGroupName(args.group) };
}

/** Adds a wallet without an address, for trades made off chain (over the counter, on an exchange). */
export async function trackManual(ctx: CommandContext, args: TrackManualArgs): Promise<Reply> {
  const { label, group } = parseTrackManual(args);
  await trackWallet(ctx.db, { workspaceId: ctx.workspaceId, address: manualAddress(label), chains: [MANUAL_CHAIN], label, actor: ctx.actor, group });
  return {
    title: 'Manual wallet added',
    tone: 'success',
    lines: [`${label} has no address: record its trades with lookout trade add buy 2 ETH --for 20 USD --wallet ${label}.`],
    data: { label, chain: MANUAL_CHAIN, group: group ?? null },
  };
}

import { trackWallet as storeTrackedWallet } from '../db/walletQueries.js';
import type { UseCaseDeps } from './UseCaseDeps.js';
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
export async function trackManualWallet(deps: UseCaseDeps, args: TrackManualArgs): Promise<{ label: string; chain: string; group: string | null }> {
  const { label, group } = parseTrackManual(args);
  await storeTrackedWallet(deps.db, { workspaceId: deps.workspaceId, address: manualAddress(label), chains: [MANUAL_CHAIN], label, actor: deps.actor, group });
  return { label, chain: MANUAL_CHAIN, group: group ?? null };
}

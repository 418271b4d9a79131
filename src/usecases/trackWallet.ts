import type { ChainConfig } from '../config/chainPresets.js';
import { CHAIN_KINDS } from '../tracker/chainKinds.js';
import { trackWallet as storeTrackedWallet } from '../db/walletQueries.js';
import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';
import { parseTrackInput, type TrackArgs } from './parseTrackInput.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type { TrackArgs } from './parseTrackInput.js';

/** A wallet just tracked: its stored address, label and group, the chains added, and what reading its history said. */
export type TrackedWalletResult = {
  address: string;
  label: string;
  group: string | null;
  chains: ChainConfig[];
  /** The backfill's answer when history was asked for. */
  history: string | null;
};

/** Tracks an address: an EVM address on every followed EVM chain unless a chain is named, a Solana address on Solana. */
export async function trackWallet(deps: UseCaseDeps, args: TrackArgs): Promise<TrackedWalletResult> {
  const { kind, address, label, group, range } = parseTrackInput(args);
  const chains = chainsFor(deps, kind, args.chain);
  if (range && !deps.backfill) throw new UserInputError('History can only be read where the chains are reachable; try again from the command line.');
  const added = await storeTrackedWallet(deps.db, {
    workspaceId: deps.workspaceId,
    address,
    chains: chains.map((chain) => chain.name),
    label,
    actor: deps.actor,
    group,
    maxWallets: deps.config.limits.walletsPerWorkspace,
  });
  const addedChains = added.map((wallet) => wallet.chain);
  deps.events.emit({ type: 'wallets_changed', workspaceId: deps.workspaceId, chains: addedChains });
  const history = range && deps.backfill ? await deps.backfill({ address, chains: addedChains, range }) : null;
  return {
    address,
    label,
    group: group ?? null,
    chains: addedChains.map((name) => chains.find((chain) => chain.name === name)!),
    history,
  };
}

function chainsFor(deps: UseCaseDeps, kind: ChainConfig['kind'], name: string | undefined): ChainConfig[] {
  if (name !== undefined) {
    const chain = deps.config.chains.find((candidate) => candidate.name === name.trim().toLowerCase());
    if (!chain) {
      throw new UserInputError(`'${quoteInput(name)}' is not a known chain; use one of ${deps.config.chains.map((c) => c.name).join(', ')}.`);
    }
    if (chain.kind !== kind) {
      const typed = withArticle(CHAIN_KINDS[kind].label);
      throw new UserInputError(
        `${chain.name} is ${withArticle(CHAIN_KINDS[chain.kind].label)} chain but the address is ${typed} address; pick ${typed} chain or give ${CHAIN_KINDS[chain.kind].addressHint}.`,
      );
    }
    return [chain];
  }
  const chains = deps.config.followed.filter((chain) => chain.kind === kind);
  if (chains.length === 0) {
    throw new UserInputError(`No ${CHAIN_KINDS[kind].label} chain is followed; add one to LOOKOUT_CHAINS or name a chain.`);
  }
  return chains;
}

/** "an EVM", "a Solana". */
function withArticle(label: string): string {
  return `${/^[AEIOU]/.test(label) ? 'an' : 'a'} ${label}`;
}

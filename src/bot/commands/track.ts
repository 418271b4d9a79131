import type { ChainConfig } from '../../config/chainPresets.js';
import { explorerUrl } from '../../config/chainPresets.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { trackWallet } from '../../db/walletQueries.js';
import { displayAddress } from '../../tracker/walletAddress.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { quoteInput } from '../../text/clipText.js';
import { parseTrackInput, type TrackArgs } from './parseTrackInput.js';

/** Tracks an address: an EVM address on every followed EVM chain unless a chain is named, a Solana address on Solana. */
export async function track(ctx: CommandContext, args: TrackArgs): Promise<Reply> {
  const { kind, address, label, group, range } = parseTrackInput(args);
  const chains = chainsFor(ctx, kind, args.chain);
  if (range && !ctx.backfill) throw new UserInputError('History can only be read where the chains are reachable; try again from the command line.');
  const added = await trackWallet(ctx.db, {
    workspaceId: ctx.workspaceId,
    address,
    chains: chains.map((chain) => chain.name),
    label,
    actor: ctx.actor,
    group,
    maxWallets: ctx.config.limits.walletsPerWorkspace,
  });
  const addedChains = added.map((wallet) => wallet.chain);
  ctx.events.emit({ type: 'wallets_changed', workspaceId: ctx.workspaceId, chains: addedChains });
  const first = chains.find((chain) => chain.name === addedChains[0])!;
  const history = range && ctx.backfill ? await ctx.backfill({ address, chains: addedChains, range }) : undefined;
  return {
    title: 'Wallet tracked',
    tone: 'success',
    lines: [
      [
        { text: 'Tracking ' },
        { text: label, bold: true },
        { text: ' (' },
        { text: displayAddress(address), code: true, url: explorerUrl(first, 'address', displayAddress(address)) },
        { text: `) on ${addedChains.join(', ')}${group ? ` in group ${group}` : ''}.` },
      ],
      ...(history ? [history] : []),
    ],
    data: { address: displayAddress(address), label, chains: addedChains, group: group ?? null },
  };
}

function chainsFor(ctx: CommandContext, kind: 'evm' | 'solana', name: string | undefined): ChainConfig[] {
  if (name !== undefined) {
    const chain = ctx.config.chains.find((candidate) => candidate.name === name.trim().toLowerCase());
    if (!chain) {
      throw new UserInputError(
        `'${quoteInput(name)}' is not a known chain; use one of ${ctx.config.chains.map((c) => c.name).join(', ')}.`,
      );
    }
    if (chain.kind !== kind) {
      throw new UserInputError(
        kind === 'evm'
          ? `${chain.name} is a Solana chain but the address is an EVM address; pick an EVM chain or a Solana address.`
          : `${chain.name} is an EVM chain but the address is a Solana address; pick solana or a 0x address.`,
      );
    }
    return [chain];
  }
  const chains = ctx.config.followed.filter((chain) => chain.kind === kind);
  if (chains.length === 0) {
    throw new UserInputError(
      `No ${kind === 'evm' ? 'EVM' : 'Solana'} chain is followed; add one to LOOKOUT_CHAINS or name a chain.`,
    );
  }
  return chains;
}

import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';
import type { BackfillRange } from '../tracker/evm/backfillEvmWallet.js';
import { parseWalletAddress, shortAddress, type WalletAddress } from '../tracker/walletAddress.js';
import { parseDuration } from './parseDuration.js';
import { validateGroupName, validateLabel } from './validateNames.js';

export type TrackArgs = {
  address: string;
  chain?: string | undefined;
  label?: string | undefined;
  group?: string | undefined;
  /** Read the wallet's history too: since a duration ago (`7d`) or from a block. */
  since?: string | undefined;
  fromBlock?: string | undefined;
};

/** What `track` was asked, checked: the address, its label (the short address by default), group and history range. */
export type TrackInput = WalletAddress & { label: string; group: string | undefined; range: BackfillRange | undefined };

/** Checks a track request without reading anything, so bad input is answered before a database is opened. */
export function parseTrackInput(args: TrackArgs): TrackInput {
  const { kind, address } = parseWalletAddress(args.address);
  return {
    kind,
    address,
    label: args.label === undefined ? shortAddress(address) : validateLabel(args.label),
    group: args.group === undefined ? undefined : validateGroupName(args.group),
    range: backfillRange(args),
  };
}

function backfillRange(args: TrackArgs): BackfillRange | undefined {
  if (args.since !== undefined && args.fromBlock !== undefined) {
    throw new UserInputError('Give either --since or --from-block, not both.');
  }
  if (args.since !== undefined) return { sinceMs: parseDuration(args.since) };
  if (args.fromBlock !== undefined) {
    if (!/^\d{1,20}$/.test(args.fromBlock.trim())) {
      throw new UserInputError(`'${quoteInput(args.fromBlock)}' is not a block number; write a whole number such as 18500000.`);
    }
    return { fromBlock: BigInt(args.fromBlock.trim()) };
  }
  return undefined;
}

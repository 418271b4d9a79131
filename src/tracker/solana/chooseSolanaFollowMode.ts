import type { SolanaFollowMode } from '../../config/solanaFollowMode.js';

/** How the Solana driver reads the chain: each followed address's signatures, or every block. */
export type SolanaReadMode = 'addresses' | 'blocks';

/**
 * What one getBlock (json, full, ~1,000–1,500 transactions) weighs against one getSignaturesForAddress. On the
 * mainnet-shaped node of `npm run bench:solana`, block mode costs ~1.6 requests but ~8 MiB a slot, polling 0.2
 * requests and under 1 KiB a slot per wallet: by requests alone blocks win from ~8 wallets, by bytes polling wins far
 * beyond. A weight of 10 switches at 50 wallets with the default 2 s polling, short of the 80 at which polling
 * saturates a 40 requests/s endpoint, and spares small wallet sets the block bytes.
 */
export const GET_BLOCK_COST_IN_SIGNATURE_CALLS = 10;
// Once in block mode, the driver goes back to addresses only below this share of the crossover, so it does not flap.
const HYSTERESIS = 0.8;

/** The inputs of the crossover: how many addresses polling would read, and how often, against slots per second. */
export type FollowCost = {
  owners: number;
  /** Token accounts of the owners, read less often; null when not listed (too many owners to list them first). */
  tokenAccounts: number | null;
  pollMs: number;
  tokenAccountPollMs: number;
  blockTimeMs: number;
};

/** Calls per second of polling every address, and of reading every block, in getSignaturesForAddress units. */
export function followCosts(cost: FollowCost): { addresses: number; blocks: number } {
  const addresses = (cost.owners * 1000) / cost.pollMs + ((cost.tokenAccounts ?? 0) * 1000) / cost.tokenAccountPollMs;
  // Note: one getBlocks per window of slots and one getSlot per round are a few percent more, left out.
  const blocks = (1000 / cost.blockTimeMs) * GET_BLOCK_COST_IN_SIGNATURE_CALLS;
  return { addresses, blocks };
}

/** How many owners (with no token accounts) polling can follow for the cost of reading every block. */
export function ownerCrossover(cost: Pick<FollowCost, 'pollMs' | 'blockTimeMs'>): number {
  return Math.ceil((cost.pollMs / cost.blockTimeMs) * GET_BLOCK_COST_IN_SIGNATURE_CALLS);
}

/** The mode to read in: the forced one, or the cheaper by the crossover (with hysteresis around the current mode). */
export function chooseSolanaFollowMode(setting: Exclude<SolanaFollowMode, 'grpc'>, cost: FollowCost, current: SolanaReadMode | null): SolanaReadMode {
  if (setting !== 'auto') return setting;
  const { addresses, blocks } = followCosts(cost);
  if (current === 'blocks') return addresses < blocks * HYSTERESIS ? 'addresses' : 'blocks';
  return addresses >= blocks ? 'blocks' : 'addresses';
}

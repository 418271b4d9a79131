import type { SolanaFollowMode } from '../../config/solanaFollowMode.js';

/** How the Solana driver reads the chain: each followed address's signatures, or every block. */
export type SolanaReadMode = 'addresses' | 'blocks';

/**
 * What one getBlock (json, full, ~1,000–1,500 transactions on mainnet) costs in getSignaturesForAddress calls:
 * measured by `npm run bench:solana` on the mainnet-shaped local node, from CPU time the node spends answering
 * (see bench/solanaCost.ts). Providers that price by request weight getBlock about as heavily.
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
export function chooseSolanaFollowMode(setting: SolanaFollowMode, cost: FollowCost, current: SolanaReadMode | null): SolanaReadMode {
  if (setting !== 'auto') return setting;
  const { addresses, blocks } = followCosts(cost);
  if (current === 'blocks') return addresses < blocks * HYSTERESIS ? 'addresses' : 'blocks';
  return addresses >= blocks ? 'blocks' : 'addresses';
}

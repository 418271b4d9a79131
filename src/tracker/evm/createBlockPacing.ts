/** When to poll for the next block, from when the last ones were made and first seen. */
export type BlockPacing = {
  /** Records the newest block read; the first sighting of a new head is a sample of how late blocks appear. */
  saw(block: { number: string; timestamp: string }): void;
  /** How long to wait before the next poll: until just before the next block is expected, then short polls. */
  nextPollMs(): number;
};

/** Samples kept of how long after its timestamp a block was first seen. */
const SAMPLES = 32;

/**
 * Polling aligned to the chain's rhythm: the next block is expected at the last block's timestamp plus the
 * block time, plus the smallest delay seen so far between a block's timestamp and its first sighting (the
 * node's propagation plus any clock offset). Before that the follower sleeps; around it, it polls every
 * 1/16 of a block time; long past it (a stalled chain or a late node), every half block time.
 */
export function createBlockPacing(options: { blockTimeMs: number; now?: () => number }): BlockPacing {
  const { blockTimeMs } = options;
  const now = options.now ?? Date.now;
  const shortMs = Math.min(250, Math.max(25, Math.round(blockTimeMs / 16)));
  const delays: number[] = [];
  let newest: { number: bigint; timestampMs: number } | undefined;

  return {
    saw(block) {
      const number = BigInt(block.number);
      if (newest && number <= newest.number) return;
      const timestampMs = Number(BigInt(block.timestamp)) * 1000;
      // Note: only a block one after the previous newest says when blocks appear; after a gap it was only caught up on.
      if (newest && number === newest.number + 1n) {
        delays.push(now() - timestampMs);
        if (delays.length > SAMPLES) delays.shift();
      }
      newest = { number, timestampMs };
    },
    nextPollMs() {
      if (!newest || delays.length === 0) return shortMs * 4;
      const expected = newest.timestampMs + blockTimeMs + Math.min(...delays);
      const wait = expected - now() - shortMs / 2;
      if (wait > shortMs) return Math.min(wait, blockTimeMs);
      if (-wait > blockTimeMs * 2) return Math.max(shortMs, Math.round(blockTimeMs / 2));
      return shortMs;
    },
  };
}

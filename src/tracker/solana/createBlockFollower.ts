import type { Logger } from '../../logger.js';
import type { ChainCursor, ChainEvent } from '../ChainDriver.js';
import type { BatchReader } from './createBatchReader.js';
import type { SolanaRpc } from './createSolanaRpc.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';
import { selectBlockTransactions } from './selectBlockTransactions.js';

type RecordsEvent = Extract<ChainEvent, { type: 'records' }>;

/** The Solana follower by slot: every block read once, whatever the number of wallets followed. */
export type BlockFollower = {
  /**
   * Reads the produced slots after the cursor up to the confirmed head, `concurrency` blocks at a time, and yields
   * their records in slot order, each event with the cursor (slot and blockhash) they bring the chain to.
   */
  run(cursor: ChainCursor, followed: ReadonlySet<string>): AsyncGenerator<RecordsEvent, void, undefined>;
};

/** Reads Solana blocks by slot (getBlocks to skip the skipped slots, then getBlock) and builds records for the followed wallets. */
export function createBlockFollower(deps: {
  rpc: Pick<SolanaRpc, 'slot' | 'blocks' | 'block'>;
  reader: Pick<BatchReader, 'build'>;
  logger: Logger;
  /** getBlock calls in flight at once. */
  concurrency: number;
}): BlockFollower {
  const { rpc, logger } = deps;
  // Slots asked per window: enough to keep every fetch slot busy, few enough that a window's blocks fit in memory.
  const window = Math.max(2, deps.concurrency * 2);

  return {
    async *run(cursor, followed) {
      const head = BigInt(await rpc.slot());
      let next = cursor.number + 1n;
      let hash = cursor.hash;
      while (next <= head) {
        const end = next + BigInt(window) - 1n < head ? next + BigInt(window) - 1n : head;
        const produced = await rpc.blocks(Number(next), Number(end));
        // Note: each block is sifted in its text as it arrives, so only its followed wallets' transactions are ever
        // parsed: a whole block parsed is tens of MB of heap on mainnet.
        const outcomes = await mapWithConcurrency(produced, deps.concurrency, async (slot) => {
          const outcome = await rpc.block(slot, followed);
          return { slot, outcome: outcome.kind === 'block' ? { kind: 'block' as const, selection: selectBlockTransactions(outcome.block, slot, followed) } : outcome };
        });
        let reached = end;
        const records: RecordsEvent['records'] = [];
        const skipped: NonNullable<RecordsEvent['skipped']> = [];
        for (const { slot, outcome } of outcomes) {
          if (outcome.kind === 'unavailable') {
            // Note: listed as produced but not served yet (a node behind its own getBlocks): stop before it and ask again.
            reached = BigInt(slot) - 1n;
            break;
          }
          if (outcome.kind === 'skipped') {
            logger.debug({ slot }, 'slot listed by getBlocks but skipped at getBlock; moving past it');
            continue;
          }
          const { selection } = outcome;
          records.push(...(await deps.reader.build(selection.decoded, followed)));
          skipped.push(...selection.skipped);
          hash = selection.blockhash;
        }
        if (reached < next) return;
        // Note: a window of skipped slots only moves the cursor with the next block that has a hash to carry.
        if (hash !== null) yield { type: 'records', records, skipped, cursor: { number: reached, hash }, keepBlocks: 1, head };
        if (reached < end) return;
        next = end + 1n;
      }
    },
  };
}

import { desc, eq } from 'drizzle-orm';
import { createPublicClient, webSocket } from 'viem';
import type { ChainConfig } from '../../config/chainPresets.js';
import type { Db } from '../../db/openDatabase.js';
import { RetryableError } from '../../errors/LookoutError.js';
import { revertChain } from '../../db/revertChain.js';
import { chainCursors, recentBlocks } from '../../db/schema.js';
import { storeChainRecords, type ProcessedBlock, type StoredTrade } from '../../db/storeChainRecords.js';
import { followedAddresses } from '../../db/walletQueries.js';
import type { EventBus } from '../../events/eventBus.js';
import { redactUrl, type Logger } from '../../logger.js';
import { backoffDelay } from '../backoff.js';
import type { TradeRecord } from '../tradeRecord.js';
import { createJsonRpcClient, type JsonRpcClient } from './createJsonRpcClient.js';
import { createEvmRecordBuilder } from './createEvmRecordBuilder.js';
import type { PriceService } from '../prices/createPriceService.js';
import { assertLinked, checkedBlocks, fetchBlocks, fetchTransferLogs, fetchWholeRange, type RpcBlock } from './fetchBlockRange.js';

export type EvmFollower = {
  readonly chain: ChainConfig;
  readonly rpc: JsonRpcClient;
  /** Processes every block from the cursor to the current head once. */
  syncToHead(): Promise<SyncResult>;
  /** Follows the head until stopped: polling at the block time, woken early by `newHeads` when a WebSocket is set. */
  start(): void;
  stop(): Promise<void>;
};

export type SyncResult = { from: bigint; to: bigint; stored: StoredTrade[]; reorgs: number };

export type EvmFollowerOptions = {
  chain: ChainConfig;
  db: Db;
  logger: Logger;
  events: EventBus;
  rpc?: JsonRpcClient;
  /** Blocks per range (default: the chain's `maxBlockRange`); each range costs one getLogs and one batch of bodies. */
  maxRange?: number;
  /** Where to start when the chain has no cursor yet; default: the current head. */
  startBlock?: bigint;
  /** Prices trades' native legs at their block. */
  prices?: PriceService;
};

/** Follows one EVM chain for every followed wallet at once, from the saved cursor, exactly once per trade. */
export function createEvmFollower(options: EvmFollowerOptions): EvmFollower {
  const { chain, db, events } = options;
  const logger = options.logger.child({ component: 'evm', chain: chain.name });
  const rpc = options.rpc ?? createJsonRpcClient({ urls: chain.rpcUrls, logger });
  const maxRange = BigInt(options.maxRange ?? chain.maxBlockRange);
  const keepBlocks = Math.max(chain.reorgWindow, 1) + 16;
  const builder = createEvmRecordBuilder({ chain, db, rpc, logger, prices: options.prices });

  async function loadCursor(): Promise<{ number: bigint; hash: string | null } | null> {
    const [row] = await db.select().from(chainCursors).where(eq(chainCursors.chain, chain.name));
    return row ? { number: row.blockNumber, hash: row.blockHash } : null;
  }

  async function syncToHead(): Promise<SyncResult> {
    const head = BigInt(await rpc.request<string>('eth_blockNumber', []));
    let cursor = await loadCursor();
    if (!cursor) {
      const start = options.startBlock ?? head;
      const [block] = await fetchBlocks(rpc, start, start);
      cursor = { number: start, hash: block?.hash ?? null };
      await storeChainRecords(db, { chain: chain.name, records: [], blocks: block ? [blockOf(block)] : [], cursor, keepBlocks });
      logger.info({ block: start.toString() }, 'starting to follow at block');
    }
    const result: SyncResult = { from: cursor.number + 1n, to: cursor.number, stored: [], reorgs: 0 };
    while (cursor.number < head) {
      const to = cursor.number + maxRange < head ? cursor.number + maxRange : head;
      const outcome = await processRange(cursor, to);
      if (outcome === 'behind') {
        logger.debug({ head: head.toString(), block: (cursor.number + 1n).toString() }, 'the node has not served the next block yet; waiting');
        break;
      }
      if (outcome === 'reorg') {
        result.reorgs++;
        cursor = await handleReorg(cursor);
        continue;
      }
      result.stored.push(...outcome.stored);
      cursor = outcome.cursor;
      result.to = cursor.number;
    }
    return result;
  }

  async function processRange(
    cursor: { number: bigint; hash: string | null },
    to: bigint,
  ): Promise<'reorg' | 'behind' | { cursor: { number: bigint; hash: string }; stored: StoredTrade[] }> {
    const from = cursor.number + 1n;
    const fetched = await fetchBlocks(rpc, from, to);
    // Note: a node behind the head it reported (or one of a pool that lags) has no such block yet; that is no
    // reorg. Only the blocks before the first missing one are processed, and logs are read for those only; a
    // malformed answer is a fault, retried.
    const missing = fetched.indexOf(null);
    const blocks = checkedBlocks(from, missing === -1 ? fetched : fetched.slice(0, missing));
    if (blocks.length === 0) return 'behind';
    if (cursor.hash !== null && blocks[0]!.parentHash !== cursor.hash) {
      if (await reorgConfirmed({ number: cursor.number, hash: cursor.hash })) return 'reorg';
      throw new RetryableError('A block did not follow the stored one, but reading again showed no reorg; reading the range again.', {
        details: `block ${from} has parent ${blocks[0]!.parentHash}, stored ${cursor.number} is ${cursor.hash}`,
      });
    }
    assertLinked(blocks);
    const last = blocks[blocks.length - 1]!;
    const lastNumber = BigInt(last.number);

    const followed = new Set(await followedAddresses(db, chain.name));
    let records: TradeRecord[] = [];
    if (followed.size > 0) {
      records = await recordsOf(blocks, followed, from, lastNumber);
    }
    const stored = await storeChainRecords(db, {
      chain: chain.name,
      records,
      blocks: blocks.map(blockOf),
      cursor: { number: lastNumber, hash: last.hash },
      keepBlocks,
    });
    announce(stored);
    return { cursor: { number: lastNumber, hash: last.hash }, stored };
  }

  /**
   * Whether the chain really replaced the stored block at the cursor: asked again (another endpoint when there
   * are several), the node returns a block of that height with another hash. No block is a fault, not a reorg.
   */
  async function reorgConfirmed(cursor: { number: bigint; hash: string }): Promise<boolean> {
    const [again] = await fetchWholeRange(rpc, cursor.number, cursor.number, { otherEndpoint: true });
    return again!.hash !== cursor.hash;
  }

  async function recordsOf(blocks: RpcBlock[], followed: Set<string>, from: bigint, to: bigint): Promise<TradeRecord[]> {
    const byHash = new Map(blocks.map((block) => [block.hash, block]));
    const logs = await fetchTransferLogs(rpc, from, to);
    const relevant = new Map<string, { block: RpcBlock; tx: RpcBlock['transactions'][number] }>();
    for (const block of blocks) {
      for (const tx of block.transactions) {
        if (followed.has(tx.from.toLowerCase()) || (tx.to && followed.has(tx.to.toLowerCase()))) relevant.set(tx.hash, { block, tx });
      }
    }
    for (const log of logs) {
      const block = byHash.get(log.blockHash);
      // Note: a log from a block we did not fetch means the chain moved under us; reading again sorts it out.
      if (!block) throw new RetryableError('The chain changed while its logs were read; reading them again.', { details: log.blockHash });
      const touches = [log.topics[1], log.topics[2]].some((topic) => topic && followed.has(`0x${topic.slice(26)}`.toLowerCase()));
      if (!touches || relevant.has(log.transactionHash)) continue;
      const tx = block.transactions.find((candidate) => candidate.hash === log.transactionHash);
      if (tx) relevant.set(tx.hash, { block, tx });
    }
    return builder.build(
      [...relevant.values()].map(({ block, tx }) => ({
        blockNumber: BigInt(block.number),
        blockHash: block.hash,
        blockTime: new Date(Number(BigInt(block.timestamp)) * 1000),
        tx,
      })),
      followed,
    );
  }

  async function handleReorg(cursor: { number: bigint; hash: string | null }): Promise<{ number: bigint; hash: string | null }> {
    const known = await db
      .select()
      .from(recentBlocks)
      .where(eq(recentBlocks.chain, chain.name))
      .orderBy(desc(recentBlocks.blockNumber));
    let ancestor: { number: bigint; hash: string | null } | null = null;
    for (const stored of known) {
      // Note: a block the node does not return is a fault (thrown, retried), never taken for an orphaned one.
      const [onChain] = await fetchWholeRange(rpc, stored.blockNumber, stored.blockNumber);
      if (onChain!.hash === stored.blockHash) {
        ancestor = { number: stored.blockNumber, hash: stored.blockHash };
        break;
      }
    }
    if (!ancestor) {
      const oldest = known[known.length - 1];
      const number = oldest ? oldest.blockNumber - 1n : cursor.number - 1n;
      logger.error({ block: number.toString() }, 'reorg deeper than the blocks kept; resuming below the oldest kept block');
      const [block] = await fetchBlocks(rpc, number, number);
      ancestor = { number, hash: block?.hash ?? null };
    }
    const undone = await revertChain(db, chain.name, ancestor);
    logger.warn(
      { from_block: cursor.number.toString(), ancestor: ancestor.number.toString(), trades: undone.revertedTrades.length, corrections: undone.corrections },
      'reorg: undid orphaned blocks',
    );
    for (const trade of undone.revertedTrades) {
      events.emit({ type: 'trade_reverted', chain: chain.name, tradeId: trade.id, txHash: trade.txHash, wallet: trade.wallet });
    }
    if (undone.corrections > 0) events.emit({ type: 'outbox_ready' });
    return ancestor;
  }

  function announce(stored: StoredTrade[]): void {
    for (const trade of stored) {
      events.emit({ type: 'trade_recorded', chain: chain.name, tradeId: trade.id, txHash: trade.txHash, wallet: trade.wallet });
    }
    if (stored.some((trade) => trade.alerts > 0)) events.emit({ type: 'outbox_ready' });
  }

  let running: Promise<void> | undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let unwatch: (() => void) | undefined;

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      try {
        const result = await syncToHead();
        if (failures > 0) logger.info({ block: result.to.toString() }, 'following again');
        failures = 0;
      } catch (error) {
        if (failures === 0) logger.warn({ err: error }, 'sync failed; retrying with backoff');
        failures++;
      }
      const pause = failures > 0 ? backoffDelay(failures, Math.max(chain.blockTimeMs, 500), 60_000) : unwatch ? chain.blockTimeMs * 4 : chain.blockTimeMs;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pause);
      });
    }
  }

  return {
    chain,
    rpc,
    syncToHead,
    start() {
      if (running) return;
      if (chain.wsUrl) {
        const client = createPublicClient({ transport: webSocket(chain.wsUrl, { retryCount: 1_000_000 }) });
        unwatch = client.watchBlockNumber({
          onBlockNumber: () => wake?.(),
          onError: (error) => logger.debug({ err: error.message, ws: redactUrl(chain.wsUrl!) }, 'newHeads subscription error'),
        });
      }
      running = loop();
    },
    async stop() {
      stopped = true;
      unwatch?.();
      clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}

function blockOf(block: RpcBlock): ProcessedBlock {
  return {
    number: BigInt(block.number),
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: new Date(Number(BigInt(block.timestamp)) * 1000),
  };
}

import type { EvmChainConfig } from '../../config/chainPresets.js';
import type { ProcessedBlock } from '../../db/storeChainRecords.js';
import { RetryableError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import type { ChainCursor, ChainDriver, ChainEvent, PreconfirmedEvent, SkippedTransaction } from '../ChainDriver.js';
import type { ChainStore } from '../ChainStore.js';
import { followLoop } from '../followLoop.js';
import { mergeFollowEvents } from '../mergeFollowEvents.js';
import { createPassLock } from '../passLock.js';
import type { PriceService } from '../prices/createPriceService.js';
import { readChainlinkPrice } from '../prices/readChainlinkPrice.js';
import type { OnRpcRequest } from '../rpcMetrics.js';
import type { TradeRecord } from '../tradeRecord.js';
import { backfillEvmWallet } from './backfillEvmWallet.js';
import { createEvmRecordBuilder } from './createEvmRecordBuilder.js';
import { createJsonRpcClient, type JsonRpcClient } from './createJsonRpcClient.js';
import { explainEvmTransactionById } from './explainEvmTransactionById.js';
import { createBlockPacing } from './createBlockPacing.js';
import { createPreconfirmationReader, type PreconfirmationReader } from './createPreconfirmationReader.js';
import { createWalletModeReader } from './createWalletModeReader.js';
import { assertLinked, checkedBlocks, fetchBlocks, fetchHeaders, fetchTransferLogs, fetchWholeRange, type RpcBlock, type RpcHeader } from './fetchBlockRange.js';
import { subscribeNewHeads, type HeadsSubscription } from './subscribeNewHeads.js';
import { readErc20Metadata } from './readErc20Metadata.js';
import { readEvmFeeEstimate } from './readEvmFeeEstimate.js';
import { readEvmHoldings } from './readEvmHoldings.js';

export type EvmDriverDeps = {
  chain: EvmChainConfig;
  store: ChainStore;
  logger: Logger;
  rpc?: JsonRpcClient;
  /** Blocks per range (default: the chain's `maxBlockRange`); each range costs one getLogs and one batch of bodies. */
  maxRange?: number;
  /** Where to start when the chain has no cursor yet; default: the current head. */
  startBlock?: bigint;
  /** Prices trades' native legs at their block. */
  prices?: PriceService | undefined;
  /** Subscribes to changes of the followed wallets of this chain; returns how to unsubscribe. */
  walletsChanged?: ((listener: () => void) => () => void) | undefined;
  onRpcRequest?: OnRpcRequest | undefined;
  /** The Flashblocks endpoint's client (default: one over the chain's `flashblocksUrl`, when set). */
  flashblocksRpc?: JsonRpcClient | undefined;
  /** How often the block being built is read while following with Flashblocks; default 200 ms (one flashblock). */
  preconfirmationMs?: number;
};

/**
 * Up to this many followed wallets, `auto` reads only their logs and balances; past it, whole blocks. Measured by
 * bench/evmFollow.ts on the mainnet-shaped server: wallet mode reads 17x fewer bytes at 100 wallets and 8x fewer at
 * 1,000, but its probe costs two calls per wallet (2,000 calls a block at 1,000 wallets, past most providers' rate
 * limits), and at 10,000 it reads as much as whole blocks and misses the latency target.
 */
export const WALLET_MODE_LIMIT = 100;

export type EvmDriver = ChainDriver & { readonly rpc: JsonRpcClient };

/** Follows one EVM chain for every followed wallet at once: ranges of blocks, their logs, the relevant receipts. */
export function createEvmDriver(deps: EvmDriverDeps): EvmDriver {
  const { chain, store } = deps;
  const logger = deps.logger.child({ component: 'evm', chain: chain.name });
  const rpc = deps.rpc ?? createJsonRpcClient({ urls: chain.rpcUrls, logger, onRequest: deps.onRpcRequest });
  const maxRange = BigInt(deps.maxRange ?? chain.maxBlockRange);
  const keepBlocks = Math.max(chain.reorgWindow, 1) + 16;
  const builder = createEvmRecordBuilder({ chain, store, rpc, logger, prices: deps.prices });
  const passes = createPassLock();
  const wallets = createWalletModeReader({ rpc, logger });
  const pacing = createBlockPacing({ blockTimeMs: chain.blockTimeMs });
  let lastMode: 'wallets' | 'blocks' | undefined;
  const flashblocksRpc =
    deps.flashblocksRpc ??
    (chain.flashblocksUrl
      ? // Note: one round, a short timeout: a preconfirmation late by seconds is worth less than the sealed block.
        createJsonRpcClient({ urls: [chain.flashblocksUrl], logger: logger.child({ component: 'flashblocks' }), onRequest: deps.onRpcRequest, maxRounds: 1, timeoutMs: 2_000 })
      : undefined);
  const preconfirmations = flashblocksRpc ? createPreconfirmationReader({ chain, rpc: flashblocksRpc, store, logger, prices: deps.prices }) : undefined;
  const preconfirmationMs = deps.preconfirmationMs ?? 200;

  /**
   * Reads the block being built until the signal aborts: on each `newFlashblocks` notification when the endpoint
   * serves them over its WebSocket (and every fifth flashblock's time as a safety net), else every
   * `preconfirmationMs`. Failures back off and never end it; sealed blocks are followed all the same.
   */
  function preconfirmed(reader: PreconfirmationReader, signal: AbortSignal): AsyncGenerator<PreconfirmedEvent, void, undefined> {
    const log = logger.child({ component: 'flashblocks' });
    let stream: HeadsSubscription | undefined;
    let started = 0;
    log.info({ every_ms: preconfirmationMs }, 'alerting preconfirmed transactions from the block being built (Flashblocks)');
    return followLoop({
      signal,
      logger: log,
      async *pass() {
        started = Date.now();
        const event = await reader.poll(await store.followedAddresses(chain.name));
        if (event) yield event;
      },
      idleMs: () => (stream?.live() ? preconfirmationMs * 5 : Math.max(0, preconfirmationMs - (Date.now() - started))),
      backoff: { baseMs: 1_000, maxMs: 30_000 },
      subscribe(wake) {
        stream = subscribeNewHeads({
          subscription: 'newFlashblocks',
          wsUrl: null,
          rpcUrl: chain.flashblocksUrl ?? undefined,
          logger: log,
          onHead: wake,
          fallback: `reading the block being built every ${preconfirmationMs} ms`,
        });
        return () => stream?.close();
      },
    });
  }

  /** One pass from the cursor to the head the node reports now; with no cursor, it starts at `startBlock` or the head. */
  async function* pass(start: ChainCursor | null): AsyncGenerator<ChainEvent, void, undefined> {
    const head = BigInt(await rpc.request<string>('eth_blockNumber', []));
    let cursor = start;
    if (!cursor) {
      const number = deps.startBlock ?? head;
      const [block] = await fetchBlocks(rpc, number, number);
      cursor = { number, hash: block?.hash ?? null };
      logger.info({ block: number.toString() }, 'starting to follow at block');
      yield { type: 'records', records: [], blocks: block ? [blockOf(block)] : [], cursor, keepBlocks, head };
    }
    while (cursor.number < head) {
      const to = cursor.number + maxRange < head ? cursor.number + maxRange : head;
      const outcome = await readRange(cursor, to, head);
      if (outcome === 'behind') {
        logger.debug({ head: head.toString(), block: (cursor.number + 1n).toString() }, 'the node has not served the next block yet; waiting');
        return;
      }
      if (outcome === 'reorg') {
        const ancestor = await findAncestor(cursor);
        yield { type: 'reorg', ancestor, from: cursor };
        cursor = ancestor;
        continue;
      }
      yield outcome;
      cursor = outcome.cursor;
    }
  }

  /** The records of the blocks after the cursor up to `to`, or why there are none to read now. */
  async function readRange(cursor: ChainCursor, to: bigint, head: bigint): Promise<'reorg' | 'behind' | Extract<ChainEvent, { type: 'records' }>> {
    const from = cursor.number + 1n;
    const followed = await store.followedAddresses(chain.name);
    const mode = modeFor(followed.size);
    const fetched = mode === 'wallets' ? await fetchHeaders(rpc, from, to) : await fetchBlocks(rpc, from, to);
    // Note: a node behind the head it reported (or one of a pool that lags) has no such block yet; that is no
    // reorg. Only the blocks before the first missing one are processed, and logs are read for those only; a
    // malformed answer is a fault, retried.
    const missing = fetched.indexOf(null);
    const blocks = checkedBlocks<RpcHeader>(from, missing === -1 ? fetched : fetched.slice(0, missing));
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
    const built =
      followed.size === 0
        ? { records: [], skipped: [] }
        : mode === 'wallets'
          ? await builder.build(await wallets.relevant(cursor, blocks, followed), followed)
          : await recordsOf(blocks as RpcBlock[], followed, from, lastNumber);
    pacing.saw(last);
    return {
      type: 'records',
      records: built.records,
      skipped: built.skipped,
      blocks: blocks.map(blockOf),
      cursor: { number: lastNumber, hash: last.hash },
      keepBlocks,
      head,
    };
  }

  /** The follow mode for this many wallets: the setting, or under `auto` the cheaper one measured by bench/evmFollow.ts. */
  function modeFor(walletCount: number): 'wallets' | 'blocks' {
    const wanted = chain.followMode ?? 'auto';
    const mode = wanted === 'auto' ? (walletCount <= WALLET_MODE_LIMIT ? 'wallets' : 'blocks') : wanted;
    if (mode !== lastMode) logger.info({ mode, wallets: walletCount, setting: wanted }, mode === 'wallets' ? 'reading only the followed wallets\' logs and balances' : 'reading whole blocks');
    lastMode = mode;
    return mode;
  }

  /**
   * Whether the chain really replaced the stored block at the cursor: asked again (another endpoint when there
   * are several), the node returns a block of that height with another hash. No block is a fault, not a reorg.
   */
  async function reorgConfirmed(cursor: { number: bigint; hash: string }): Promise<boolean> {
    const [again] = await fetchWholeRange(rpc, cursor.number, cursor.number, { otherEndpoint: true });
    return again!.hash !== cursor.hash;
  }

  async function recordsOf(
    blocks: RpcBlock[],
    followed: ReadonlySet<string>,
    from: bigint,
    to: bigint,
  ): Promise<{ records: TradeRecord[]; skipped: SkippedTransaction[] }> {
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

  /** The newest kept block the chain still has; below the oldest kept one when the reorg is deeper. */
  async function findAncestor(cursor: ChainCursor): Promise<ChainCursor> {
    const known = await store.recentBlocks(chain.name);
    for (const stored of known) {
      // Note: a block the node does not return is a fault (thrown, retried), never taken for an orphaned one.
      const [onChain] = await fetchWholeRange(rpc, stored.number, stored.number);
      if (onChain!.hash === stored.hash) return stored;
    }
    const oldest = known[known.length - 1];
    const number = oldest ? oldest.number - 1n : cursor.number - 1n;
    logger.error({ block: number.toString() }, 'reorg deeper than the blocks kept; resuming below the oldest kept block');
    const [block] = await fetchBlocks(rpc, number, number);
    return { number, hash: block?.hash ?? null };
  }

  /** The pass from a cursor, one at a time; the cursor moves as each event is consumed (stored). */
  async function* passFrom(cursor: { current: ChainCursor | null }): AsyncGenerator<ChainEvent, void, undefined> {
    for await (const event of passes.run(() => pass(cursor.current))) {
      yield event;
      cursor.current = event.type === 'records' ? event.cursor : event.ancestor;
    }
  }

  return {
    chain,
    rpc,
    syncOnce: (cursor) => passFrom({ current: cursor }),
    follow(cursor, signal) {
      const position = { current: cursor };
      let heads: HeadsSubscription | undefined;
      const sealed = followLoop({
        signal,
        logger,
        pass: () => passFrom(position),
        // Note: with newHeads a poll is only a safety net; without, polls are aligned to the next block's expected time.
        idleMs: () => (heads?.live() ? chain.blockTimeMs * 4 : pacing.nextPollMs()),
        backoff: { baseMs: Math.max(chain.blockTimeMs, 500), maxMs: 60_000 },
        subscribe(wake) {
          const offWallets = deps.walletsChanged?.(wake);
          heads = subscribeNewHeads({ wsUrl: chain.wsUrl, rpcUrl: chain.rpcUrls[0], logger, onHead: wake });
          return async () => {
            offWallets?.();
            await heads?.close();
          };
        },
      });
      return preconfirmations ? mergeFollowEvents(sealed, preconfirmed(preconfirmations, signal)) : sealed;
    },
    readHoldings: (wallet, assets) => readEvmHoldings(rpc, wallet, assets),
    readTokenMetadata: (assets) => readErc20Metadata(rpc, assets, chain.multicall3),
    async nativeUsdPrice() {
      if (!chain.nativeUsdFeed) return null;
      const head = BigInt(await rpc.request<string>('eth_blockNumber', []));
      const price = await readChainlinkPrice(rpc, chain.nativeUsdFeed, head);
      return price ? { priceUsd: price.priceUsd, observedAt: price.updatedAt } : null;
    },
    feeEstimate() {
      // Note: a person waits for the answer, as for explain: two rounds over the endpoints, then the chain is said unreachable.
      return readEvmFeeEstimate(chain, deps.rpc ?? createJsonRpcClient({ urls: chain.rpcUrls, logger, maxRounds: 2 }), () => this.nativeUsdPrice());
    },
    backfill: (wallet, range) => backfillEvmWallet({ chain, store, rpc, logger, prices: deps.prices }, wallet, range),
    explain(hash, wallets) {
      // Note: a person waits for the answer; an RPC that does not answer is said after two rounds, not retried on.
      const once = deps.rpc ?? createJsonRpcClient({ urls: chain.rpcUrls, logger, maxRounds: 2 });
      return explainEvmTransactionById(chain, once, logger, hash, wallets);
    },
    async close() {},
  };
}

function blockOf(block: RpcHeader): ProcessedBlock {
  return {
    number: BigInt(block.number),
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: new Date(Number(BigInt(block.timestamp)) * 1000),
  };
}

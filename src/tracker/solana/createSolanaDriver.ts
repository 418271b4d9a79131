import type { Connection } from '@solana/web3.js';
import type { SolanaChainConfig } from '../../config/chainPresets.js';
import type { AddressCursor } from '../../db/addressCursorQueries.js';
import type { Logger } from '../../logger.js';
import type { ChainCursor, ChainDriver, ChainEvent, SkippedTransaction } from '../ChainDriver.js';
import type { ChainStore } from '../ChainStore.js';
import { followLoop } from '../followLoop.js';
import { createPassLock } from '../passLock.js';
import type { PriceService } from '../prices/createPriceService.js';
import { readPythPrice } from '../prices/readPythPrice.js';
import type { OnRpcRequest } from '../rpcMetrics.js';
import type { TradeRecord } from '../tradeRecord.js';
import { NATIVE } from '../walletDeltas.js';
import { backfillSolanaWallet } from './backfillSolanaWallet.js';
import { createBatchReader } from './createBatchReader.js';
import { createBlockFollower } from './createBlockFollower.js';
import type { GeyserFollower } from './createGeyserFollower.js';
import { chooseSolanaFollowMode, type SolanaReadMode } from './chooseSolanaFollowMode.js';
import { createLogsWatcher, type LogsWatcher } from './createLogsWatcher.js';
import { createNotificationBook } from './createNotificationBook.js';
import { createSolanaConnection, createSolanaRpc, type SolanaRpc } from './createSolanaRpc.js';
import { createSignatureDiscovery } from './createSignatureDiscovery.js';
import { createTokenAccountTracker } from './createTokenAccountTracker.js';
import { failoverFetch } from './failoverFetch.js';
import { explainSolanaSignature } from './explainSolanaSignature.js';
import { planSignatureBatches } from './planSignatureBatches.js';
import { readSolanaFeeEstimate } from './readSolanaFeeEstimate.js';
import { readSolanaHoldings } from './readSolanaHoldings.js';
import { readSolanaTokenMetadata } from './readSolanaTokenMetadata.js';

export type SolanaDriverDeps = {
  chain: SolanaChainConfig;
  store: ChainStore;
  logger: Logger;
  /** HTTP calls go through it; default: one on the chain's first RPC URL. Subscriptions use a Connection of their own on `chain.wsUrl`. */
  connection?: Connection;
  /** Calls in flight at once, for transactions and for signature lists. */
  concurrency?: number;
  /** Time between two polls of the followed wallets; default 5 block times, at least 1 s. */
  pollMs?: number;
  /** Time between two polls of a token account that no notification pointed at; default max(pollMs, 30 s). */
  tokenAccountPollMs?: number;
  /** Prices trades' SOL legs; without it only stablecoin legs are priced. */
  prices?: PriceService | undefined;
  /** Subscribes to changes of the followed wallets of this chain; returns how to unsubscribe. */
  walletsChanged?: (listener: () => void) => () => void;
  onRpcRequest?: OnRpcRequest | undefined;
  /** getBlock calls in flight at once in block mode; default 4. */
  blockConcurrency?: number;
};

type RecordsEvent = Extract<ChainEvent, { type: 'records' }>;

const BATCH_SIZE = 50;

/**
 * Follows every followed Solana wallet, and each of its token accounts (a plain SPL transfer lists only those),
 * from cursors saved per address with the records they cover: signature discovery per address, then batches in
 * slot order, each yielded with the address cursors it moves.
 */
export function createSolanaDriver(deps: SolanaDriverDeps): ChainDriver {
  const { chain, store } = deps;
  const logger = deps.logger.child({ component: 'solana', chain: chain.name });
  const fetchRpc = failoverFetch(chain.rpcUrls);
  const connection = deps.connection ?? createSolanaConnection(chain, fetchRpc);
  const rpc: SolanaRpc = createSolanaRpc(connection, { onRequest: deps.onRpcRequest, fetch: fetchRpc });
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const pollMs = deps.pollMs ?? Math.max(1_000, chain.blockTimeMs * 5);
  const tokenAccountPollMs = deps.tokenAccountPollMs ?? Math.max(pollMs, 30_000);
  const tokenAccounts = createTokenAccountTracker(rpc, concurrency);
  const book = createNotificationBook();
  const reader = createBatchReader({ chain, rpc, store, logger, concurrency, prices: deps.prices });
  const discovery = createSignatureDiscovery({ rpc, tokenAccounts, book, concurrency, tokenAccountPollMs });
  const blockFollower = createBlockFollower({ rpc, reader, logger, concurrency: Math.max(1, deps.blockConcurrency ?? 4) });
  const setting = chain.followMode ?? (chain.grpcUrl ? 'grpc' : 'auto');
  let geyser: GeyserFollower | null = null;
  // Note: a stream pass lasts until this aborts: the followed wallets changed, or following stopped.
  let streamStop: AbortController | null = null;
  const passes = createPassLock();
  let highestSlot: bigint | null = null;
  let watcher: LogsWatcher | null = null;
  let mode: SolanaReadMode | 'grpc' | null = null;
  // Note: the chain cursor as stored. Block mode stores the blockhash of its slot with it, address mode none: after a
  // restart that is how the driver knows which of the two cursors (chain or per address) is the one to resume from.
  let storedCursor: ChainCursor | null = null;
  let blockCursor: ChainCursor | null = null;

  /** The Geyser stream follower, loaded with its gRPC client the first time the stream is followed. */
  async function streamFollower(url: string): Promise<GeyserFollower> {
    const { createGeyserFollower } = await import('./createGeyserFollower.js');
    geyser ??= createGeyserFollower({ url, token: chain.grpcToken ?? null, commitment: chain.commitment ?? 'confirmed', reader, blockFollower, rpc, logger });
    return geyser;
  }

  /** Polling or blocks for these owners: past the crossover by owners alone, token accounts are not even listed. */
  async function modeFor(owners: string[]): Promise<SolanaReadMode> {
    // Note: one pass to the head (syncOnce) of a streamed chain reads its blocks by getBlock.
    if (setting === 'grpc') return 'blocks';
    const current = mode === 'grpc' ? 'blocks' : mode;
    const cost = { owners: owners.length, tokenAccounts: null, pollMs, tokenAccountPollMs, blockTimeMs: chain.blockTimeMs };
    if (setting !== 'auto' || chooseSolanaFollowMode(setting, cost, current) === 'blocks') return chooseSolanaFollowMode(setting, cost, current);
    await tokenAccounts.refresh(owners);
    const tokenAccountCount = tokenAccounts.watched(owners).length - owners.length;
    return chooseSolanaFollowMode(setting, { ...cost, tokenAccounts: tokenAccountCount }, current);
  }

  /**
   * Where block mode starts: the stored chain cursor when block mode wrote it; else the slot every address cursor has
   * passed (nothing at or below it is unread for any followed address); else the head, for wallets never read.
   */
  async function blockStart(owners: string[]): Promise<ChainCursor> {
    if (blockCursor) return blockCursor;
    if (storedCursor?.hash) return storedCursor;
    const cursors = await store.addressCursors(chain.name);
    const slots = tokenAccounts
      .watched(owners)
      .map((entry) => cursors.get(entry.address)?.slot)
      .filter((slot): slot is bigint => slot !== undefined);
    // Note: with no cursor at all, the head's own block is read too, so that the first cursor stored carries its hash.
    const from = slots.length > 0 ? slots.reduce((min, slot) => (slot < min ? slot : min)) : BigInt(await rpc.slot()) - 1n;
    logger.info({ slot: from.toString(), addresses: slots.length }, 'following Solana by block from the slot every address cursor has passed');
    return { number: from, hash: null };
  }

  async function* blockRound(owners: string[], followed: ReadonlySet<string>): AsyncGenerator<ChainEvent, void, undefined> {
    const start = await blockStart(owners);
    blockCursor = start;
    watcher?.watch([]);
    for await (const event of blockFollower.run(start, followed)) {
      blockCursor = event.cursor;
      highestSlot = event.cursor.number;
      yield event;
    }
  }

  /** Follows the stream until the wallets change, following stops, or a processed slot is undone; a stream failure is thrown. */
  async function* streamRound(stream: GeyserFollower, owners: string[], followed: ReadonlySet<string>): AsyncGenerator<ChainEvent, void, undefined> {
    await tokenAccounts.refresh(owners);
    const start = await blockStart(owners);
    blockCursor = start;
    watcher?.watch([]);
    const stop = new AbortController();
    streamStop = stop;
    try {
      const run = stream.run({
        cursor: start,
        followed,
        addresses: () => tokenAccounts.watched(owners).map((entry) => entry.address),
        learn: (decoded) => tokenAccounts.learn(decoded, followed),
        stop: stop.signal,
      });
      for await (const event of run) {
        blockCursor = event.type === 'records' ? event.cursor : event.ancestor;
        highestSlot = blockCursor.number;
        yield event;
      }
    } finally {
      if (streamStop === stop) streamStop = null;
    }
  }

  /** Going back to polling: every watched address continues from the slot block mode reached, with nothing before it unread. */
  function handOver(watched: { address: string }[], from: ChainCursor): RecordsEvent {
    logger.info({ slot: from.number.toString(), addresses: watched.length }, 'following Solana address by address from the slot block mode reached');
    highestSlot = from.number;
    return {
      type: 'records',
      records: [],
      cursor: { number: from.number, hash: null },
      keepBlocks: 1,
      addressCursors: watched.map(({ address }) => ({ address, signature: '', slot: from.number })),
    };
  }

  // Note: the store hands back the same map while the followed wallets are unchanged; so are the owners built from it,
  // rather than a list and a set of thousands of addresses made anew every slot.
  let owned: { since: ReadonlyMap<string, Date>; owners: string[]; followed: ReadonlySet<string> } | null = null;
  function ownersOf(since: ReadonlyMap<string, Date>): { owners: string[]; followed: ReadonlySet<string> } {
    if (owned?.since !== since) owned = { since, owners: [...since.keys()], followed: new Set(since.keys()) };
    return owned;
  }

  /** One round: every block since the slot cursor, or the followed addresses (`all` every one, `due` those pointed at). */
  async function* round(scope: 'all' | 'due', streamed: boolean): AsyncGenerator<ChainEvent, void, undefined> {
    const since = await store.followedSince(chain.name);
    const { owners, followed } = ownersOf(since);
    if (owners.length === 0) {
      await tokenAccounts.refresh([]);
      watcher?.watch([]);
      return;
    }
    if (streamed && chain.grpcUrl && setting === 'grpc') {
      if (mode !== 'grpc') logger.info({ mode: 'grpc', commitment: chain.commitment ?? 'confirmed', owners: owners.length }, 'Solana follow mode');
      mode = 'grpc';
      yield* streamRound(await streamFollower(chain.grpcUrl), owners, followed);
      return;
    }
    const next = await modeFor(owners);
    if (next !== mode) logger.info({ mode: next, setting, owners: owners.length }, 'Solana follow mode');
    if (next === 'blocks') {
      mode = 'blocks';
      yield* blockRound(owners, followed);
      return;
    }
    await tokenAccounts.refresh(owners);
    const watched = tokenAccounts.watched(owners);
    const from = blockCursor ?? (mode === null && storedCursor?.hash ? storedCursor : null);
    mode = 'addresses';
    if (from) {
      blockCursor = null;
      storedCursor = null;
      yield handOver(watched, from);
      return;
    }
    watcher?.watch(watched.map((entry) => entry.address));
    const startedAt = Date.now();
    const cursors = await store.addressCursors(chain.name);
    const { found, firstCursors, polled } = await discovery.discover(scope, watched, cursors, since);

    let pendingFirst = firstCursors;
    for (const batch of planSignatureBatches(found, BATCH_SIZE)) {
      const { records, skipped } = await reader.read(batch, followed, {
        skip: (signature) => book.processed(signature),
        learn: (decoded) => tokenAccounts.learn(decoded, followed),
      });
      const moved = batch.cursors.map(({ address, signature, slot: at }) => ({ address, signature, slot: BigInt(at) }));
      yield recordsEvent(records, skipped, pendingFirst, moved, BigInt(batch.lastSlot));
      for (const info of batch.signatures) book.remember(info.signature);
      pendingFirst = [];
    }
    if (pendingFirst.length > 0) yield recordsEvent([], [], pendingFirst, [], maxSlot(pendingFirst.map(({ cursor }) => cursor.slot)));
    polled();
    for (const { address, cursor } of firstCursors) {
      logger.info({ address, signature: cursor.signature, slot: cursor.slot.toString() }, 'address seen for the first time; following it from here');
    }
    const discovered = found.flatMap(({ address, signatures }) => signatures.map((info) => ({ address, ...info })));
    book.settle(discovered, startedAt);
    watcher?.checkMissed(discovered);
  }

  function recordsEvent(
    records: TradeRecord[],
    skipped: SkippedTransaction[],
    firstCursors: { address: string; cursor: AddressCursor }[],
    moved: { address: string; signature: string; slot: bigint }[],
    slot: bigint,
  ): RecordsEvent {
    highestSlot = highestSlot === null || slot > highestSlot ? slot : highestSlot;
    return {
      type: 'records',
      records,
      skipped,
      cursor: { number: highestSlot, hash: null },
      keepBlocks: 1,
      addressCursors: [
        // Note: an address with no transaction yet keeps an empty signature: everything after its slot is new.
        ...firstCursors.map(({ address, cursor }) => ({ address, signature: cursor.signature ?? '', slot: cursor.slot })),
        ...moved,
      ],
    };
  }

  const pass = (scope: 'all' | 'due', cursor: ChainCursor | null, streamed: boolean) => {
    if (mode === null) storedCursor = cursor;
    if (cursor && (highestSlot === null || cursor.number > highestSlot)) highestSlot = cursor.number;
    return passes.run(() => round(scope, streamed));
  };

  return {
    chain,
    syncOnce: (cursor) => pass('all', cursor, false),
    follow(cursor, signal) {
      return followLoop({
        signal,
        logger,
        pass: (first) => pass(first ? 'all' : 'due', cursor, true),
        // Note: a notification can outrun the node that answers polls; until polling finds what it told of, look again soon.
        // Note: block mode asks again after about a slot, so an alert trails its block by a slot at most.
        idleMs: () => (mode === 'blocks' || mode === 'grpc' ? chain.blockTimeMs : book.hasPending ? Math.min(1_000, pollMs) : pollMs),
        backoff: { baseMs: 500, maxMs: 30_000 },
        subscribe(wake) {
          const offWallets = deps.walletsChanged?.(() => {
            streamStop?.abort();
            wake();
          });
          const onAbort = (): void => streamStop?.abort();
          signal.addEventListener('abort', onAbort, { once: true });
          if (chain.wsUrl) {
            watcher = createLogsWatcher({
              rpcEndpoint: connection.rpcEndpoint,
              wsUrl: chain.wsUrl,
              logger,
              onActivity: (address, signature) => {
                if (book.notify(address, signature)) wake();
              },
            });
          }
          return async () => {
            signal.removeEventListener('abort', onAbort);
            offWallets?.();
            const closing = watcher;
            watcher = null;
            await closing?.close();
          };
        },
      });
    },
    async readHoldings(wallet) {
      const held = await readSolanaHoldings(connection, wallet);
      return new Map<string, bigint>([
        ...(held.sol > 0n ? [[NATIVE, held.sol] as [string, bigint]] : []),
        ...held.tokens.filter((token) => token.amount > 0n).map((token) => [token.mint, token.amount] as [string, bigint]),
      ]);
    },
    readTokenMetadata: (mints) => readSolanaTokenMetadata(rpc, mints),
    async nativeUsdPrice() {
      if (!chain.nativeUsdFeed) return null;
      const reading = await readPythPrice(connection, chain.nativeUsdFeed);
      return reading ? { priceUsd: reading.priceUsd, observedAt: reading.publishTime } : null;
    },
    feeEstimate() {
      return readSolanaFeeEstimate(chain, connection, () => this.nativeUsdPrice());
    },
    backfill: (wallet, range) => backfillSolanaWallet({ rpc, reader, concurrency }, wallet, range),
    explain: (signature, wallets) => explainSolanaSignature(chain, signature, wallets),
    async close() {
      streamStop?.abort();
      geyser?.close();
      await watcher?.close();
      watcher = null;
    },
  };
}

function maxSlot(slots: bigint[]): bigint {
  return slots.reduce((max, slot) => (slot > max ? slot : max), 0n);
}

import type { Connection } from '@solana/web3.js';
import type { SolanaChainConfig } from '../../config/chainPresets.js';
import type { AddressCursor } from '../../db/addressCursorQueries.js';
import type { Logger } from '../../logger.js';
import type { ChainDriver, ChainEvent, SkippedTransaction } from '../ChainDriver.js';
import type { ChainStore } from '../ChainStore.js';
import { followLoop } from '../followLoop.js';
import { createPassLock } from '../passLock.js';
import type { PriceService } from '../prices/createPriceService.js';
import { readPythPrice } from '../prices/readPythPrice.js';
import type { OnRpcRequest } from '../rpcMetrics.js';
import type { TradeRecord } from '../tradeRecord.js';
import { NATIVE } from '../walletDeltas.js';
import { createBatchReader } from './createBatchReader.js';
import { createLogsWatcher, type LogsWatcher } from './createLogsWatcher.js';
import { createNotificationBook } from './createNotificationBook.js';
import { createSolanaConnection, createSolanaRpc, type SolanaRpc } from './createSolanaRpc.js';
import { createSignatureDiscovery } from './createSignatureDiscovery.js';
import { createTokenAccountTracker } from './createTokenAccountTracker.js';
import { explainSolanaSignature } from './explainSolanaSignature.js';
import { planSignatureBatches } from './planSignatureBatches.js';
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
  const connection = deps.connection ?? createSolanaConnection(chain);
  const rpc: SolanaRpc = createSolanaRpc(connection, { onRequest: deps.onRpcRequest });
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const pollMs = deps.pollMs ?? Math.max(1_000, chain.blockTimeMs * 5);
  const tokenAccountPollMs = deps.tokenAccountPollMs ?? Math.max(pollMs, 30_000);
  const tokenAccounts = createTokenAccountTracker(rpc, concurrency);
  const book = createNotificationBook();
  const reader = createBatchReader({ chain, rpc, store, logger, concurrency, prices: deps.prices });
  const discovery = createSignatureDiscovery({ rpc, tokenAccounts, book, concurrency, tokenAccountPollMs });
  const passes = createPassLock();
  let highestSlot: bigint | null = null;
  let watcher: LogsWatcher | null = null;

  /** One round over the followed addresses: `all` reads every one, `due` those a notification, a new cursor or time points at. */
  async function* round(scope: 'all' | 'due'): AsyncGenerator<ChainEvent, void, undefined> {
    const since = await store.followedSince(chain.name);
    const owners = [...since.keys()];
    const followed = new Set(owners);
    if (owners.length === 0) {
      await tokenAccounts.refresh([]);
      watcher?.watch([]);
      return;
    }
    const cursors = await store.addressCursors(chain.name);
    await tokenAccounts.refresh(owners);
    const watched = tokenAccounts.watched(owners);
    watcher?.watch(watched.map((entry) => entry.address));
    const startedAt = Date.now();
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

  const pass = (scope: 'all' | 'due', cursor: { number: bigint } | null) => {
    if (cursor && (highestSlot === null || cursor.number > highestSlot)) highestSlot = cursor.number;
    return passes.run(() => round(scope));
  };

  return {
    chain,
    syncOnce: (cursor) => pass('all', cursor),
    follow(cursor, signal) {
      return followLoop({
        signal,
        logger,
        pass: (first) => pass(first ? 'all' : 'due', cursor),
        // Note: a notification can outrun the node that answers polls; until polling finds what it told of, look again soon.
        idleMs: () => (book.hasPending ? Math.min(1_000, pollMs) : pollMs),
        backoff: { baseMs: 500, maxMs: 30_000 },
        subscribe(wake) {
          const offWallets = deps.walletsChanged?.(wake);
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
    // Note: Solana history is not read yet; a wallet is followed from the moment it is tracked.
    backfill: null,
    explain: (signature, wallets) => explainSolanaSignature(chain, signature, wallets),
    async close() {
      await watcher?.close();
      watcher = null;
    },
  };
}

function maxSlot(slots: bigint[]): bigint {
  return slots.reduce((max, slot) => (slot > max ? slot : max), 0n);
}

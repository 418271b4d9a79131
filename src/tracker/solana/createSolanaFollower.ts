import type { Connection } from '@solana/web3.js';
import { eq } from 'drizzle-orm';
import type { ChainConfig } from '../../config/chainPresets.js';
import { addressCursorRow, followedSince, loadAddressCursors, type AddressCursor } from '../../db/addressCursorQueries.js';
import type { Db } from '../../db/openDatabase.js';
import { chainCursors } from '../../db/schema.js';
import { anyWalletHeld } from '../../db/holdingQueries.js';
import { storeChainRecords, type StoredTrade } from '../../db/storeChainRecords.js';
import { RetryableError } from '../../errors/LookoutError.js';
import type { EventBus } from '../../events/eventBus.js';
import type { Logger } from '../../logger.js';
import { backoffDelay } from '../backoff.js';
import { createTokenRegistry } from '../createTokenRegistry.js';
import type { TradeRecord } from '../tradeRecord.js';
import { buildSolanaRecords, mintsOf } from './buildSolanaRecords.js';
import type { PriceService } from '../prices/createPriceService.js';
import { priceRecord } from '../prices/priceRecord.js';
import { createLogsWatcher, type LogsWatcher } from './createLogsWatcher.js';
import { createSolanaConnection, createSolanaRpc, type SignatureInfo, type SolanaRpc } from './createSolanaRpc.js';
import { decodeSolanaTransaction, SolanaDecodeError, type DecodedSolanaTransaction } from './decodeSolanaTransaction.js';
import { findNewSignatures, type DiscoveryStart } from './findNewSignatures.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';
import { planSignatureBatches, type SignatureBatch } from './planSignatureBatches.js';
import { readSolanaTokenMetadata } from './readSolanaTokenMetadata.js';
import { SolanaRpcError } from './solanaRpcError.js';

export type SolanaFollower = {
  readonly chain: ChainConfig;
  /** Reads every followed address and its token accounts once, from their cursors, and stores what is new. */
  syncOnce(): Promise<{ stored: StoredTrade[] }>;
  /** Follows until stopped: polling at `pollMs`, woken early by `logsSubscribe` when the chain has a wsUrl. */
  start(): void;
  stop(): Promise<void>;
};

export type SolanaFollowerOptions = {
  chain: ChainConfig;
  db: Db;
  logger: Logger;
  events: EventBus;
  /** HTTP calls go through it; default: one on the chain's first RPC URL. Subscriptions use a Connection of their own on `chain.wsUrl`. */
  connection?: Connection;
  /** Calls in flight at once, for transactions and for signature lists. */
  concurrency?: number;
  /** Time between two polls of the followed wallets; default 5 block times, at least 1 s. */
  pollMs?: number;
  /** Time between two polls of a token account that no notification pointed at; default max(pollMs, 30 s). */
  tokenAccountPollMs?: number;
  /** Prices trades' SOL legs; without it only stablecoin legs are priced. */
  prices?: PriceService;
};

/** A watched address and the followed wallet it counts for: the wallet itself or one of its token accounts. */
type Watched = { address: string; owner: string };
type RoundResult = { stored: StoredTrade[]; discovered: number };

const BATCH_SIZE = 50;
const TOKEN_ACCOUNT_REFRESH_MS = 120_000;
// A transaction the node listed but cannot return yet is asked for again this many rounds before it is given up.
const MAX_MISSES = 5;
const REMEMBERED_SIGNATURES = 20_000;
const NOTIFICATION_PATIENCE_MS = 30_000;

/**
 * Follows every followed Solana wallet, and each of its token accounts (a plain SPL transfer lists
 * only those), from cursors saved per address with the records they cover, exactly once per trade.
 */
export function createSolanaFollower(options: SolanaFollowerOptions): SolanaFollower {
  const { chain, db, events } = options;
  const logger = options.logger.child({ component: 'solana', chain: chain.name });
  const connection = options.connection ?? createSolanaConnection(chain);
  const rpc: SolanaRpc = createSolanaRpc(connection);
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const pollMs = options.pollMs ?? Math.max(1_000, chain.blockTimeMs * 5);
  const tokenAccountPollMs = options.tokenAccountPollMs ?? Math.max(pollMs, 30_000);
  const knownDecimals = new Map<string, number | null>();
  const tokens = createTokenRegistry({ db, chain, logger, read: (mints) => readSolanaTokenMetadata(rpc, mints, knownDecimals) });

  /**
   * Token accounts per followed wallet, each with the slot from which it can have been in use
   * (null: since before its owner's cursor), and the slot the node answered the last listing at.
   */
  const tokenAccounts = new Map<string, { accounts: Map<string, bigint | null>; refreshedAt: number; refreshedSlot: bigint | null }>();
  const lastPolled = new Map<string, number>();
  /** Signatures notified per address and not yet found by polling: the address is read in every round until they are. */
  const notified = new Map<string, Map<string, number>>();
  const misses = new Map<string, number>();
  const remembered = new Set<string>();
  let highestSlot: bigint | null = null;
  let watcher: LogsWatcher | null = null;

  async function round(scope: 'all' | 'due'): Promise<RoundResult> {
    const since = await followedSince(db, chain.name);
    const owners = [...since.keys()];
    const followed = new Set(owners);
    for (const owner of tokenAccounts.keys()) if (!followed.has(owner)) tokenAccounts.delete(owner);
    if (owners.length === 0) {
      watcher?.watch([]);
      return { stored: [], discovered: 0 };
    }
    highestSlot ??= await loadChainSlot();
    const cursors = await loadAddressCursors(db, chain.name);
    await refreshTokenAccounts(owners);
    const watched = watchedAddresses(owners);
    watcher?.watch(watched.map((entry) => entry.address));
    const watchedSet = new Set(watched.map((entry) => entry.address));
    for (const address of lastPolled.keys()) if (!watchedSet.has(address)) lastPolled.delete(address);

    const startedAt = Date.now();
    const due = watched.filter(
      (entry) =>
        scope === 'all' ||
        entry.address === entry.owner ||
        notified.has(entry.address) ||
        !cursors.has(entry.address) ||
        startedAt - (lastPolled.get(entry.address) ?? 0) >= tokenAccountPollMs,
    );
    // Addresses seen for the first time with no transaction start at the current slot: one read for all of them.
    let slot: Promise<number> | undefined;
    const reader = { signatures: rpc.signatures, slot: () => (slot ??= rpc.slot()) };
    const found = await mapWithConcurrency(due, concurrency, async (entry) => ({
      address: entry.address,
      ...(await findNewSignatures(reader, entry.address, startOf(entry, cursors, since))),
    }));

    const firstCursors = found.flatMap(({ address, firstCursor }) => (firstCursor ? [{ address, cursor: firstCursor }] : []));
    const batches = planSignatureBatches(found, BATCH_SIZE);
    const stored: StoredTrade[] = [];
    let pendingFirst = firstCursors;
    for (const batch of batches) {
      if (stopped) break;
      stored.push(...(await processBatch(batch, followed, pendingFirst)));
      pendingFirst = [];
    }
    if (pendingFirst.length > 0) await save([], pendingFirst, [], maxSlot(pendingFirst.map(({ cursor }) => cursor.slot)));
    for (const entry of due) lastPolled.set(entry.address, startedAt);
    for (const { address, cursor } of firstCursors) {
      logger.info({ address, signature: cursor.signature, slot: cursor.slot.toString() }, 'address seen for the first time; following it from here');
    }
    const discovered = found.flatMap(({ address, signatures }) => signatures.map((info) => ({ address, ...info })));
    settleNotifications(discovered, startedAt);
    watcher?.checkMissed(discovered);
    return { stored, discovered: discovered.length };
  }

  function settleNotifications(discovered: readonly { address: string; signature: string }[], now: number): void {
    for (const { address, signature } of discovered) notified.get(address)?.delete(signature);
    for (const [address, signatures] of notified) {
      for (const [signature, at] of signatures) {
        // Note: a notification polling never confirms (a node that lists less than it notifies) stops counting after a while.
        if (remembered.has(signature) || now - at > NOTIFICATION_PATIENCE_MS) signatures.delete(signature);
      }
      if (signatures.size === 0) notified.delete(address);
    }
  }

  function startOf(entry: Watched, cursors: ReadonlyMap<string, AddressCursor>, since: ReadonlyMap<string, Date>): DiscoveryStart {
    const cursor = cursors.get(entry.address);
    const ownerSince = since.get(entry.owner) ?? null;
    if (cursor) return { kind: 'cursor', cursor, since: ownerSince };
    const ownerCursor = cursors.get(entry.owner);
    if (entry.address === entry.owner || !ownerCursor) return { kind: 'newest' };
    // Note: a token account that shows up after its owner was first seen was opened (or handed over)
    // since; what it did from then on is new to us, though its owner's cursor may be past it already.
    const fromSlot = tokenAccounts.get(entry.owner)?.accounts.get(entry.address) ?? ownerCursor.slot;
    return { kind: 'history', fromSlot, since: ownerSince };
  }

  async function refreshTokenAccounts(owners: string[]): Promise<void> {
    const now = Date.now();
    const stale = owners.filter((owner) => now - (tokenAccounts.get(owner)?.refreshedAt ?? 0) >= TOKEN_ACCOUNT_REFRESH_MS);
    await mapWithConcurrency(stale, concurrency, async (owner) => {
      const listed = await rpc.tokenAccounts(owner);
      const slot = BigInt(listed.slot);
      const previous = tokenAccounts.get(owner);
      const accounts = new Map<string, bigint | null>();
      for (const { address } of listed.accounts) {
        accounts.set(address, previous?.accounts.has(address) ? previous.accounts.get(address)! : (previous?.refreshedSlot ?? null));
      }
      // One learned from a transaction newer than the listing is kept: the node that listed may lag.
      for (const [address, from] of previous?.accounts ?? []) if (from !== null && from > slot && !accounts.has(address)) accounts.set(address, from);
      tokenAccounts.set(owner, { accounts, refreshedAt: now, refreshedSlot: slot });
    });
  }

  function watchedAddresses(owners: string[]): Watched[] {
    const watched: Watched[] = owners.map((owner) => ({ address: owner, owner }));
    for (const owner of owners) {
      for (const address of tokenAccounts.get(owner)?.accounts.keys() ?? []) watched.push({ address, owner });
    }
    return watched;
  }

  /** Token accounts of followed wallets that a stored transaction opened are watched from the next round, without waiting for a refresh. */
  function learnTokenAccounts(decoded: DecodedSolanaTransaction, followed: ReadonlySet<string>): void {
    for (const balance of decoded.tokenBalances.post) {
      const known = followed.has(balance.owner) ? tokenAccounts.get(balance.owner) : undefined;
      if (known && !known.accounts.has(balance.account)) known.accounts.set(balance.account, BigInt(decoded.slot));
    }
  }

  async function processBatch(
    batch: SignatureBatch,
    followed: ReadonlySet<string>,
    firstCursors: { address: string; cursor: AddressCursor }[],
  ): Promise<StoredTrade[]> {
    const wanted = batch.signatures.filter((info) => !remembered.has(info.signature));
    const fetched = await mapWithConcurrency(wanted, concurrency, (info) => fetchDecoded(info));
    const decoded = fetched.filter((tx): tx is DecodedSolanaTransaction => tx !== null);
    for (const tx of decoded) learnTokenAccounts(tx, followed);

    const mints = new Set<string>();
    for (const tx of decoded) {
      for (const [mint, decimals] of mintsOf(tx, followed)) {
        mints.add(mint);
        if (decimals !== null) knownDecimals.set(mint, decimals);
      }
    }
    const tokenInfo = await tokens.ensure([...mints]);
    const held = new Set<string>();
    const unknownAsset = async (_wallet: string, asset: string) => !held.has(asset) && !(await anyWalletHeld(db, chain.name, asset));
    const records: TradeRecord[] = [];
    for (const tx of decoded) {
      for (const built of await buildSolanaRecords(chain, tx, followed, tokenInfo, unknownAsset)) {
        const record = await priceRecord(options.prices, chain, built, tokenInfo);
        records.push(record);
        if (!record.isSpam) for (const asset of record.deltas.keys()) held.add(asset);
      }
    }
    const stored = await save(records, firstCursors, batch.cursors, BigInt(batch.lastSlot));
    for (const info of batch.signatures) remember(info.signature);
    return stored;
  }

  /** The transaction decoded; null for one to skip (damaged, of an unsupported version, or missing for too long). */
  async function fetchDecoded(info: SignatureInfo): Promise<DecodedSolanaTransaction | null> {
    const log = logger.child({ signature: info.signature, slot: info.slot });
    let result: unknown;
    try {
      result = await rpc.transaction(info.signature);
    } catch (error) {
      if (error instanceof SolanaRpcError && error.code === -32015) {
        log.warn({ err: error.details }, 'transaction of an unsupported version skipped');
        return null;
      }
      throw error;
    }
    if (result === null || result === undefined) {
      const count = (misses.get(info.signature) ?? 0) + 1;
      misses.set(info.signature, count);
      if (count < MAX_MISSES) {
        throw new RetryableError('The Solana node listed a transaction it cannot return yet; asking again.', { details: info.signature });
      }
      misses.delete(info.signature);
      log.error({ attempts: count }, 'transaction listed but never returned by the node; skipped');
      return null;
    }
    misses.delete(info.signature);
    try {
      return decodeSolanaTransaction(result);
    } catch (error) {
      if (!(error instanceof SolanaDecodeError)) throw error;
      // Note: one damaged transaction must not hold every later one back; its cursor moves past it.
      log.warn({ err: error.message }, 'damaged transaction skipped');
      return null;
    }
  }

  async function save(
    records: TradeRecord[],
    firstCursors: { address: string; cursor: AddressCursor }[],
    moved: SignatureBatch['cursors'],
    slot: bigint,
  ): Promise<StoredTrade[]> {
    highestSlot = highestSlot === null || slot > highestSlot ? slot : highestSlot;
    const stored = await storeChainRecords(db, {
      chain: chain.name,
      records,
      blocks: [],
      cursor: { number: highestSlot, hash: null },
      keepBlocks: 1,
      addressCursors: [
        ...firstCursors.map(({ address, cursor }) => addressCursorRow(address, cursor)),
        ...moved.map(({ address, signature, slot: at }) => ({ address, signature, slot: BigInt(at) })),
      ],
    });
    announce(stored);
    return stored;
  }

  function remember(signature: string): void {
    remembered.add(signature);
    if (remembered.size > REMEMBERED_SIGNATURES) remembered.delete(remembered.values().next().value!);
  }

  async function loadChainSlot(): Promise<bigint> {
    const [row] = await db.select().from(chainCursors).where(eq(chainCursors.chain, chain.name));
    return row?.blockNumber ?? 0n;
  }

  function announce(stored: StoredTrade[]): void {
    for (const trade of stored) {
      events.emit({ type: 'trade_recorded', chain: chain.name, tradeId: trade.id, txHash: trade.txHash, wallet: trade.wallet });
    }
    if (stored.some((trade) => trade.alerts > 0)) events.emit({ type: 'outbox_ready' });
  }

  // Rounds never overlap: syncOnce called while the loop runs waits for the round in progress.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = queue.then(task, task);
    queue = result.catch(() => undefined);
    return result;
  }

  let running: Promise<void> | undefined;
  let stopped = false;
  let wakeRequested = false;
  let sleeping: { resolve: () => void; timer: NodeJS.Timeout; interruptible: boolean } | undefined;
  let offWalletsChanged: (() => void) | undefined;

  function wake(): void {
    wakeRequested = true;
    if (sleeping?.interruptible) sleeping.resolve();
  }

  function sleep(ms: number, interruptible: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(sleeping?.timer);
        sleeping = undefined;
        resolve();
      };
      sleeping = { resolve: done, timer: setTimeout(done, ms), interruptible };
    });
  }

  async function loop(): Promise<void> {
    let failures = 0;
    let scope: 'all' | 'due' = 'all';
    while (!stopped) {
      wakeRequested = false;
      try {
        await exclusive(() => round(scope));
        if (failures > 0) logger.info({ failures }, 'following again');
        failures = 0;
        scope = 'due';
      } catch (error) {
        const fields = { err: error instanceof Error ? error.message : String(error), details: (error as { details?: string }).details };
        if (failures === 0) logger.warn(fields, 'sync failed; retrying with backoff');
        else logger.debug(fields, 'sync failed again');
        failures++;
      }
      if (stopped) break;
      if (wakeRequested && failures === 0) continue;
      // Note: a notification can outrun the node that answers polls; until polling finds what it told of, look again soon.
      const pause = failures > 0 ? backoffDelay(failures, 500, 30_000) : notified.size > 0 ? Math.min(1_000, pollMs) : pollMs;
      // Notifications do not cut a backoff short: the node is failing and needs the rest.
      await sleep(pause, failures === 0);
    }
  }

  return {
    chain,
    syncOnce: () => exclusive(() => round('all')).then(({ stored }) => ({ stored })),
    start() {
      if (running) return;
      if (chain.wsUrl) {
        watcher = createLogsWatcher({
          rpcEndpoint: connection.rpcEndpoint,
          wsUrl: chain.wsUrl,
          logger,
          onActivity: (address, signature) => {
            if (remembered.has(signature)) return;
            const signatures = notified.get(address) ?? new Map<string, number>();
            notified.set(address, signatures.set(signature, Date.now()));
            wake();
          },
        });
      }
      offWalletsChanged = events.on('wallets_changed', (event) => {
        if (event.chains.includes(chain.name)) wake();
      });
      running = loop();
    },
    async stop() {
      stopped = true;
      offWalletsChanged?.();
      sleeping?.resolve();
      await running;
      await watcher?.close();
    },
  };
}

function maxSlot(slots: bigint[]): bigint {
  return slots.reduce((max, slot) => (slot > max ? slot : max), 0n);
}

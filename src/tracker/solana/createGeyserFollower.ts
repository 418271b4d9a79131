import Yellowstone, { CommitmentLevel, type SubscribeRequest, type SubscribeUpdate, type SubscribeUpdateTransactionInfo } from '@triton-one/yellowstone-grpc';
import type { SolanaCommitment } from '../../config/solanaFollowMode.js';
import { RetryableError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import type { ChainCursor, ChainEvent } from '../ChainDriver.js';
import type { BatchReader } from './createBatchReader.js';
import type { BlockFollower } from './createBlockFollower.js';
import type { SolanaRpc } from './createSolanaRpc.js';
import type { DecodedSolanaTransaction } from './decodeSolanaTransaction.js';
import { geyserTransactionResult } from './geyserTransaction.js';
import { selectBlockTransactions } from './selectBlockTransactions.js';

// Note: the package's types describe its CommonJS build, where the client is `default.default`; Node loads its ES
// module build, whose default export is the client class itself.
const Client = Yellowstone as unknown as typeof Yellowstone.default;

type RecordsEvent = Extract<ChainEvent, { type: 'records' }>;

/** Solana over a Yellowstone (Geyser) gRPC stream: the followed accounts' transactions, slot by slot. */
export type GeyserFollower = {
  /**
   * Subscribes from the slot after the cursor and yields each slot's records in order, with the cursor (slot and
   * blockhash) they bring the chain to. Returns when `stop` aborts or after a `reorg` (a processed slot that did not
   * confirm); throws when the stream fails, so that the caller backs off and calls again from its cursor.
   */
  run(options: GeyserRun): AsyncGenerator<ChainEvent, void, undefined>;
  /** Cancels the stream in use, if any. */
  close(): void;
};

export type GeyserRun = {
  cursor: ChainCursor;
  followed: ReadonlySet<string>;
  /** The accounts whose transactions the stream sends: the followed wallets and their token accounts. */
  addresses(): string[];
  /** Takes note of token accounts a transaction opened for a followed wallet. */
  learn(decoded: DecodedSolanaTransaction): void;
  stop: AbortSignal;
};

export type GeyserFollowerDeps = {
  url: string;
  token: string | null;
  commitment: SolanaCommitment;
  reader: Pick<BatchReader, 'build'>;
  /** Reads by getBlock the slots the stream no longer holds. */
  blockFollower: BlockFollower;
  /** Checks at confirmed a processed slot whose confirmation the stream did not send. */
  rpc: Pick<SolanaRpc, 'block'>;
  logger: Logger;
  /** How often a run of slots without followed transactions moves the stored cursor; default 1 s. */
  cursorMs?: number;
  /** Silence after which the stream is taken as broken and subscribed again; default 30 s. */
  stallMs?: number;
};

// SlotStatus of geyser.proto (not exported by the client package).
const SLOT_PROCESSED = 0;
const SLOT_CONFIRMED = 1;
const SLOT_FINALIZED = 2;
const SLOT_DEAD = 6;
// gRPC status codes the follower tells apart.
const GRPC_CANCELLED = 1;
const GRPC_INVALID_ARGUMENT = 3;
const GRPC_OUT_OF_RANGE = 11;
/** A processed slot not confirmed when the stream has confirmed this many slots past it is taken as dropped. */
const CONFIRMATION_BOUND = 32;
const FILTER = 'lookout';
// How long the gap before a live subscription's first slot may wait for the JSON-RPC node: 20 times 400 ms.
const GAP_ATTEMPTS = 20;
const GAP_WAIT_MS = 400;
/** Slots reached past one whose block meta has not come, before it is stored without (time unknown). */
const META_WAIT_SLOTS = 4;

type SlotState = { transactions: SubscribeUpdateTransactionInfo[]; blockhash: string | null; blockTime: number | null; reached: boolean };

/** Follows the followed accounts over a Yellowstone gRPC stream, resuming from the slot after its cursor. */
export function createGeyserFollower(deps: GeyserFollowerDeps): GeyserFollower {
  const { logger } = deps;
  const target = deps.commitment === 'processed' ? SLOT_PROCESSED : SLOT_CONFIRMED;
  const cursorMs = deps.cursorMs ?? 1_000;
  const stallMs = deps.stallMs ?? 30_000;
  // Note: slots found dropped stay known, so that a replay of the stream does not store their transactions again.
  const dropped = new Set<number>();
  // Note: kept across reconnections: a processed slot stored before a disconnect is still settled after it.
  // Processed slots stored with records, not yet seen confirmed: their blockhash.
  const unconfirmed = new Map<number, string>();
  // Slots stored, newest last, with their blockhash: where a rollback goes back to.
  const stored: ChainCursor[] = [];
  // Note: false once the server said it keeps no slots to replay; each subscription then starts live, and the slots
  // between the cursor and the first one streamed are read by getBlock.
  let replay = true;
  let open: { cancel(): void } | null = null;
  let client: InstanceType<typeof Client> | null = null;

  function request(addresses: string[], fromSlot: bigint | null): SubscribeRequest {
    return {
      accounts: {},
      // Note: every status of every slot, whatever the commitment: `confirmed` and `dead` settle processed slots.
      slots: { [FILTER]: { filterByCommitment: false } },
      // Note: `failed` left unset sends failed and succeeded transactions alike (true would send failed ones only): a
      // failed one still costs its fee. accountInclude matches static keys and lookup-table ones, as block mode does;
      // the token accounts stand in for owners only named in token balances.
      transactions: { [FILTER]: { vote: false, accountInclude: addresses, accountExclude: [], accountRequired: [] } },
      transactionsStatus: {},
      blocks: {},
      blocksMeta: { [FILTER]: {} },
      entry: {},
      commitment: deps.commitment === 'processed' ? CommitmentLevel.PROCESSED : CommitmentLevel.CONFIRMED,
      accountsDataSlice: [],
      ...(fromSlot === null ? {} : { fromSlot: fromSlot.toString() }),
    };
  }

  async function* stream(run: GeyserRun, start: ChainCursor): AsyncGenerator<ChainEvent, void, undefined> {
    // Note: one channel for every subscription; gRPC reconnects it under a new call.
    client ??= new Client(deps.url, deps.token ?? undefined, { 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
    const call = await client.subscribe();
    open = call;
    const onStop = (): void => call.cancel();
    run.stop.addEventListener('abort', onStop, { once: true });
    let cursor = start;
    let gapToFill = !replay;
    let lastYield = Date.now();
    let filtered = new Set(run.addresses());
    const slots = new Map<number, SlotState>();
    const stateOf = (slot: number): SlotState => {
      let state = slots.get(slot);
      if (!state) slots.set(slot, (state = { transactions: [], blockhash: null, blockTime: null, reached: false }));
      return state;
    };
    const write = (message: SubscribeRequest): void => void call.write(message);

    async function slotEvent(slot: number, state: SlotState, previousHash: string | null): Promise<RecordsEvent> {
      const results = state.transactions.map((info) => geyserTransactionResult(info, slot, state.blockTime));
      const selection = selectBlockTransactions({ blockhash: state.blockhash, blockTime: state.blockTime, transactions: results }, slot, run.followed);
      for (const decoded of selection.decoded) run.learn(decoded);
      const records = await deps.reader.build(selection.decoded, run.followed);
      // Note: a slot stored without its block meta carries the hash before it, so the cursor keeps saying it is a slot cursor.
      const hash = state.blockhash ?? previousHash;
      return { type: 'records', records, skipped: selection.skipped, cursor: { number: BigInt(slot), hash }, keepBlocks: 1 };
    }

    /** Whether a processed slot still stands: confirmed with its blockhash (true), dropped (false), or not known yet (null). */
    async function stands(slot: number, blockhash: string, confirmedSlot: number): Promise<boolean | null> {
      const outcome = await deps.rpc.block(slot, new Set());
      if (outcome.kind === 'skipped') return false;
      if (outcome.kind === 'unavailable') return confirmedSlot - slot > CONFIRMATION_BOUND ? false : null;
      const hash = (outcome.block as { blockhash?: unknown } | null)?.blockhash;
      return hash === blockhash;
    }

    function rollback(slot: number, reason: string): ChainEvent {
      dropped.add(slot);
      const ancestor = [...stored].reverse().find((entry) => entry.number < BigInt(slot)) ?? start;
      // Everything above the ancestor is undone and read again; what is below it still waits to be settled.
      for (const pending of unconfirmed.keys()) if (BigInt(pending) > ancestor.number) unconfirmed.delete(pending);
      while (stored.length > 0 && stored[stored.length - 1]!.number > ancestor.number) stored.pop();
      logger.warn({ slot, ancestor: ancestor.number.toString(), reason }, 'processed Solana slot did not confirm; undoing it');
      return { type: 'reorg', ancestor, from: cursor };
    }

    try {
      logger.debug({ from_slot: replay ? (start.number + 1n).toString() : null, addresses: filtered.size }, 'subscribing to the Geyser stream');
      write(request([...filtered], replay ? start.number + 1n : null));
      const updates = (call as AsyncIterable<SubscribeUpdate>)[Symbol.asyncIterator]();
      // Note: the cursor of slots without followed transactions is held back up to cursorMs; a quiet stream still stores it.
      let held: RecordsEvent | null = null;
      let lastUpdate = Date.now();
      for (;;) {
        const next = updates.next();
        let item: IteratorResult<SubscribeUpdate> | null = null;
        while (item === null) {
          // Note: slots come every 400 ms; a stream silent for stallMs is a connection gone half-open, ended here.
          const stallLeft = stallMs - (Date.now() - lastUpdate);
          if (stallLeft <= 0) throw new RetryableError(`The Geyser stream sent nothing for ${Math.round(stallMs / 1000)} s; subscribing again.`);
          const holdLeft = held ? cursorMs - (Date.now() - lastYield) : Number.POSITIVE_INFINITY;
          item = await Promise.race([next, delay(Math.max(0, Math.min(stallLeft, holdLeft)))]);
          if (item === null && held && Date.now() - lastYield >= cursorMs) {
            lastYield = Date.now();
            const event: RecordsEvent = held;
            held = null;
            yield event;
          }
        }
        if (item.done) break;
        lastUpdate = Date.now();
        const update = item.value;
        if (update.ping) {
          write({ ...request([...filtered], null), ping: { id: 1 } });
          continue;
        }
        if (update.transaction?.transaction) {
          const slot = Number(update.transaction.slot);
          if (slot > Number(cursor.number) && !dropped.has(slot)) stateOf(slot).transactions.push(update.transaction.transaction);
          continue;
        }
        if (update.blockMeta) {
          const slot = Number(update.blockMeta.slot);
          if (slot <= Number(cursor.number) || dropped.has(slot)) continue;
          const state = stateOf(slot);
          state.blockhash = update.blockMeta.blockhash;
          state.blockTime = update.blockMeta.blockTime ? Number(update.blockMeta.blockTime.timestamp) : null;
        }
        if (update.slot) {
          const slot = Number(update.slot.slot);
          const status = update.slot.status;
          if (status === SLOT_DEAD) {
            slots.delete(slot);
            if (unconfirmed.has(slot)) {
              yield rollback(slot, update.slot.deadError ?? 'dead');
              return;
            }
            dropped.add(slot);
            continue;
          }
          const rank = status === SLOT_PROCESSED ? 0 : status === SLOT_CONFIRMED ? 1 : status === SLOT_FINALIZED ? 2 : -1;
          if (rank >= target && slot > Number(cursor.number) && !dropped.has(slot)) stateOf(slot).reached = true;
          if (rank >= SLOT_CONFIRMED && unconfirmed.size > 0) {
            unconfirmed.delete(slot);
            for (const [older, blockhash] of unconfirmed) {
              if (older >= slot) continue;
              const verdict = await stands(older, blockhash, slot);
              if (verdict === true) unconfirmed.delete(older);
              if (verdict === false) {
                yield rollback(older, 'not confirmed');
                return;
              }
            }
          }
        }
        // Slots reached with their block meta are stored in slot order; one reached before them without a meta goes with
        // them, and so does one still without a meta when slots well past it have been reached.
        const reached = [...slots.entries()].filter(([, state]) => state.reached).map(([slot]) => slot);
        if (reached.length === 0) continue;
        const newest = Math.max(...reached);
        const ready = reached.filter((slot) => slots.get(slot)!.blockhash !== null || newest - slot >= META_WAIT_SLOTS);
        if (ready.length === 0) continue;
        const upTo = Math.max(...ready);
        if (gapToFill) {
          gapToFill = false;
          // Note: the stream is live; what came between the cursor and its first slot is read by getBlock meanwhile,
          // waiting a little for a JSON-RPC node behind the stream.
          const first = Math.min(...reached);
          for (let attempt = 0; Number(cursor.number) < first - 1; attempt++) {
            if (attempt >= GAP_ATTEMPTS) throw new RetryableError('The JSON-RPC node did not reach the first slot the Geyser stream sent; subscribing again.');
            if (attempt > 0) await delay(GAP_WAIT_MS);
            for await (const event of deps.blockFollower.run(cursor, run.followed)) {
              cursor = event.cursor;
              stored.push(cursor);
              held = null;
              lastYield = Date.now();
              yield event;
            }
          }
        }
        const due = [...slots.entries()].filter(([slot, state]) => slot <= upTo && slot > Number(cursor.number) && state.reached).sort(([a], [b]) => a - b);
        for (const [slot, state] of due) {
          slots.delete(slot);
          const event = await slotEvent(slot, state, cursor.hash);
          cursor = event.cursor;
          stored.push(cursor);
          if (stored.length > 512) stored.shift();
          if (target === SLOT_PROCESSED && event.records.length > 0 && state.blockhash !== null) unconfirmed.set(slot, state.blockhash);
          if (event.records.length > 0 || (event.skipped?.length ?? 0) > 0 || Date.now() - lastYield >= cursorMs) {
            lastYield = Date.now();
            held = null;
            yield event;
          } else {
            held = event;
          }
        }
        for (const slot of slots.keys()) if (slot <= Number(cursor.number)) slots.delete(slot);
        if (!due.some(([, state]) => state.transactions.length > 0)) continue;
        const addresses = run.addresses();
        if (addresses.some((address) => !filtered.has(address))) {
          // Note: a new request on the open stream replaces its filters; what it already sent stays sent.
          filtered = new Set(addresses);
          write(request(addresses, null));
          logger.debug({ addresses: addresses.length }, 'Geyser filter widened to new token accounts');
        }
      }
      if (run.stop.aborted) return;
      throw new RetryableError('The Geyser stream ended; subscribing again from the cursor.');
    } catch (error) {
      if (run.stop.aborted && grpcCode(error) === GRPC_CANCELLED) return;
      throw error;
    } finally {
      run.stop.removeEventListener('abort', onStop);
      open = null;
      call.cancel();
    }
  }

  return {
    async *run(run) {
      let cursor = run.cursor;
      for (let catchUps = 0; !run.stop.aborted; ) {
        try {
          for await (const event of stream(run, cursor)) {
            cursor = event.type === 'records' ? event.cursor : event.ancestor;
            yield event;
            if (event.type === 'reorg') return;
          }
          return;
        } catch (error) {
          if (replay && isReplayUnsupported(error)) {
            replay = false;
            logger.warn('the Geyser server keeps no slots to replay; each subscription starts live and the gap before it is read by getBlock');
            continue;
          }
          if (!isTooOld(error) || catchUps >= 2) throw error;
          catchUps++;
          // Note: the stream keeps a window of recent slots; what fell out of it is read block by block over JSON-RPC.
          logger.info({ slot: cursor.number.toString() }, 'the Geyser stream no longer holds the slot after the cursor; catching up by getBlock');
          for await (const event of deps.blockFollower.run(cursor, run.followed)) {
            cursor = event.cursor;
            yield event;
            if (run.stop.aborted) return;
          }
        }
      }
    },
    close() {
      open?.cancel();
      open = null;
      client?._client.close();
      client = null;
    },
  };
}

function delay(ms: number): Promise<null> {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Whether the server refused `from_slot` as older than the slots it keeps. */
function isTooOld(error: unknown): boolean {
  const code = grpcCode(error);
  const details = String((error as { details?: unknown } | null)?.details ?? '');
  return (code === GRPC_INVALID_ARGUMENT || code === GRPC_OUT_OF_RANGE) && /is not available/i.test(details);
}

/** Whether the server keeps no replay buffer at all (`from_slot is not supported`). */
function isReplayUnsupported(error: unknown): boolean {
  return /from_slot is not supported/i.test(String((error as { details?: unknown } | null)?.details ?? ''));
}

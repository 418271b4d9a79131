import { createHash } from 'node:crypto';

import { Server, ServerCredentials, status, type ServerDuplexStream, type ServiceDefinition } from '@grpc/grpc-js';
import { SubscribeRequest, SubscribeUpdate, type SubscribeUpdateTransactionInfo } from '@triton-one/yellowstone-grpc';

import { base58Decode, base58Encode } from '../../../src/tracker/solana/base58.js';
import { decodeSolanaTransaction } from '../../../src/tracker/solana/decodeSolanaTransaction.js';
import { encodeTransactionResult, transactionEncodingOf } from './encodeTransactionResult.js';
import type { PublishOptions } from './simulatedLedger.js';
import type { PublishedTransaction, SolanaRpcServer } from './startSolanaRpcServer.js';

type JsonObject = Record<string, unknown>;
type Call = ServerDuplexStream<SubscribeRequest, SubscribeUpdate>;
/** A message in the order the server produced it: a transaction or block meta at a commitment, or a slot status. */
type Entry = { slot: number; level: 'processed' | 'confirmed' | 'status'; update: SubscribeUpdate };

const SLOT_PROCESSED = 0;
const SLOT_CONFIRMED = 1;
const SLOT_DEAD = 6;

/** A local Yellowstone (Geyser) gRPC server in front of a local Solana node: the same transactions, streamed. */
export type GeyserServer = {
  /** http://127.0.0.1:P, for the Yellowstone client. */
  url: string;
  /** Publishes on the node (as SolanaRpcServer.publish does) and streams the slots up to the node's tip. */
  publish(result: unknown, options?: PublishOptions): PublishedTransaction;
  /** Skips slots on the node; the stream never announces them. */
  skipSlots(slots: number[]): void;
  /** Moves the node to `slot` and streams every slot up to it. */
  advanceTo(slot: number): void;
  /**
   * Streams a transaction in the next slot at processed commitment only: its slot is skipped on the node (getBlock
   * answers -32007 at confirmed) and is never confirmed; `dead` also sends the slot's dead status.
   */
  publishUnconfirmed(result: unknown, options?: { dead?: boolean }): { signature: string; slot: number };
  /** Ends every open stream with UNAVAILABLE, as a restarting server or a broken connection does. */
  dropStreams(): void;
  /** Forgets the slots before `slot`: a subscription from an older slot is refused, as past the server's retention. */
  forgetBefore(slot: number): void;
  /** Subscribe calls received, and the from_slot of each. */
  subscriptions(): { count: number; fromSlots: (string | undefined)[] };
  /** The accounts each open stream's transaction filter includes. */
  filters(): string[][];
  /** The x-token of the last subscription. */
  lastToken(): string | undefined;
  stop(): Promise<void>;
};

/** Starts a Geyser server on a free port of 127.0.0.1 that streams what `node` holds, from its current tip on. */
export async function startGeyserServer(node: SolanaRpcServer, options: { replay?: boolean } = {}): Promise<GeyserServer> {
  const history: Entry[] = [];
  const live = new Map<Call, { request: SubscribeRequest | null }>();
  const fromSlots: (string | undefined)[] = [];
  let announced = node.slot();
  let oldest = 0;
  let token: string | undefined;
  const results = new Map<number, JsonObject[]>();
  const skipped = new Set<number>();

  const send = (call: Call, request: SubscribeRequest, entry: Entry): void => {
    if (wants(request, entry)) call.write({ ...entry.update, filters: ['lookout'] });
  };
  const emit = (entry: Entry): void => {
    history.push(entry);
    for (const [call, state] of live) if (state.request) send(call, state.request, entry);
  };
  const emitSlot = (slot: number, parent: number, transactions: JsonObject[], confirm: boolean): void => {
    const infos = transactions.map(geyserTransactionInfo);
    const blockTime = transactions.length > 0 ? Number(transactions[0]!['blockTime']) : Math.floor(Date.now() / 1000);
    const meta = blockMeta(slot, parent, blockTime, infos.length);
    const levels: ('processed' | 'confirmed')[] = confirm ? ['processed', 'confirmed'] : ['processed'];
    for (const level of levels) {
      infos.forEach((transaction, index) => emit({ slot, level, update: update({ transaction: { slot: String(slot), transaction: { ...transaction, index: String(index) } } }) }));
      emit({ slot, level, update: update({ blockMeta: meta }) });
      emit({ slot, level: 'status', update: update({ slot: { slot: String(slot), parent: String(parent), status: level === 'processed' ? SLOT_PROCESSED : SLOT_CONFIRMED } }) });
    }
  };
  const announce = (): void => {
    const tip = node.slot();
    for (let slot = announced + 1; slot <= tip; slot++) {
      if (skipped.has(slot)) continue;
      emitSlot(slot, announced, results.get(slot) ?? [], true);
      announced = slot;
    }
  };

  const service: ServiceDefinition = {
    subscribe: {
      path: '/geyser.Geyser/Subscribe',
      requestStream: true,
      responseStream: true,
      requestSerialize: (message: SubscribeRequest) => Buffer.from(SubscribeRequest.encode(message).finish()),
      requestDeserialize: (bytes: Buffer) => SubscribeRequest.decode(bytes),
      responseSerialize: (message: SubscribeUpdate) => Buffer.from(SubscribeUpdate.encode(message).finish()),
      responseDeserialize: (bytes: Buffer) => SubscribeUpdate.decode(bytes),
    },
  };
  const server = new Server();
  server.addService(service, {
    subscribe(call: Call) {
      const state: { request: SubscribeRequest | null } = { request: null };
      token = call.metadata.get('x-token')[0]?.toString();
      live.set(call, state);
      call.on('data', (request: SubscribeRequest) => {
        if (request.ping) return;
        const first = state.request === null;
        state.request = request;
        if (!first) return;
        fromSlots.push(request.fromSlot);
        if (request.fromSlot !== undefined) {
          const from = Number(request.fromSlot);
          // Note: the statuses and words of yellowstone-grpc-geyser.
          if (options.replay === false) {
            live.delete(call);
            call.emit('error', { code: status.INTERNAL, details: 'from_slot is not supported' });
            return;
          }
          if (from < oldest) {
            live.delete(call);
            call.emit('error', { code: status.OUT_OF_RANGE, details: `broadcast from ${from} is not available, last available: ${oldest}` });
            return;
          }
          for (const entry of history) if (entry.slot >= from) send(call, request, entry);
        }
      });
      const forget = (): void => void live.delete(call);
      call.on('end', () => {
        forget();
        call.end();
      });
      call.on('cancelled', forget);
      call.on('error', forget);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );

  return {
    url: `http://127.0.0.1:${port}`,
    publish(result, options) {
      const landed = node.publish(result, options);
      const stored = { ...structuredClone(result as JsonObject), slot: landed.slot, blockTime: landed.blockTime };
      results.set(landed.slot, [...(results.get(landed.slot) ?? []), stored]);
      announce();
      return landed;
    },
    skipSlots(slots) {
      node.skipSlots(slots);
      for (const slot of slots) skipped.add(slot);
    },
    advanceTo(slot) {
      node.advanceTo(slot);
      announce();
    },
    publishUnconfirmed(result, options = {}) {
      const slot = Math.max(announced, node.slot()) + 1;
      node.skipSlots([slot]);
      skipped.add(slot);
      const stored = { ...structuredClone(result as JsonObject), slot, blockTime: Math.floor(Date.now() / 1000) };
      emitSlot(slot, announced, [stored], false);
      if (options.dead) emit({ slot, level: 'status', update: update({ slot: { slot: String(slot), parent: String(announced), status: SLOT_DEAD, deadError: 'fork abandoned' } }) });
      return { signature: decodeSolanaTransaction(stored).signature, slot };
    },
    dropStreams() {
      for (const call of [...live.keys()]) {
        live.delete(call);
        call.emit('error', { code: status.UNAVAILABLE, details: 'the Geyser server restarted' });
      }
    },
    forgetBefore(slot) {
      oldest = slot;
      history.splice(0, history.length, ...history.filter((entry) => entry.slot >= slot));
    },
    subscriptions: () => ({ count: fromSlots.length, fromSlots: [...fromSlots] }),
    filters: () => [...live.values()].map((state) => Object.values(state.request?.transactions ?? {}).flatMap((filter) => filter.accountInclude)),
    lastToken: () => token,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const call of live.keys()) call.emit('error', { code: status.UNAVAILABLE, details: 'stopping' });
        live.clear();
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 1_000).unref();
      }),
  };
}

/** Whether a stream with this request gets the entry: statuses always, data at the stream's commitment, transactions by filter. */
function wants(request: SubscribeRequest, entry: Entry): boolean {
  if (entry.level === 'status') return Object.keys(request.slots).length > 0;
  const level = request.commitment === 0 ? 'processed' : 'confirmed';
  if (entry.level !== level) return false;
  if (entry.update.blockMeta) return Object.keys(request.blocksMeta).length > 0;
  const info = entry.update.transaction?.transaction;
  if (!info) return false;
  const message = info.transaction?.message;
  const keys = new Set(
    [...(message?.accountKeys ?? []), ...(info.meta?.loadedWritableAddresses ?? []), ...(info.meta?.loadedReadonlyAddresses ?? [])].map((key) => Buffer.from(key).toString('hex')),
  );
  return Object.values(request.transactions).some((filter) => {
    // As Yellowstone: an unset `failed` or `vote` takes both kinds, a set one only that kind.
    if (filter.failed !== undefined && filter.failed !== (info.meta?.err !== undefined)) return false;
    if (filter.vote !== undefined && filter.vote !== info.isVote) return false;
    if (filter.accountInclude.length === 0) return true;
    return filter.accountInclude.some((address) => keys.has(Buffer.from(base58Decode(address)).toString('hex')));
  });
}

function update(fields: Partial<SubscribeUpdate>): SubscribeUpdate {
  return { filters: [], createdAt: new Date(), ...fields };
}

function blockMeta(slot: number, parent: number, blockTime: number, transactions: number): NonNullable<SubscribeUpdate['blockMeta']> {
  return {
    slot: String(slot),
    blockhash: blockhashOf(slot),
    rewards: undefined,
    blockTime: { timestamp: String(blockTime) },
    blockHeight: { blockHeight: String(slot) },
    parentSlot: String(parent),
    parentBlockhash: blockhashOf(parent),
    executedTransactionCount: String(transactions),
    entriesCount: '1',
  };
}

/** The blockhash the local node's getBlock gives a slot's block. */
function blockhashOf(slot: number): string {
  return base58Encode(createHash('sha256').update(`slot ${slot}`).digest());
}

/** A getTransaction result (json, jsonParsed or base64) as a Geyser stream carries it. */
export function geyserTransactionInfo(result: JsonObject): SubscribeUpdateTransactionInfo {
  const json = transactionEncodingOf(result) === 'jsonParsed' ? result : encodeTransactionResult(result, 'json');
  const transaction = json['transaction'] as JsonObject;
  const message = transaction['message'] as JsonObject;
  const meta = json['meta'] as JsonObject;
  const signatures = (transaction['signatures'] as string[]).map(base58Decode);
  const rawKeys = message['accountKeys'] as unknown[];
  const parsed = typeof rawKeys[0] === 'object';
  const parsedKeys = parsed ? (rawKeys as { pubkey: string; signer: boolean; writable: boolean; source?: string }[]) : [];
  const staticKeys = parsed ? parsedKeys.filter((key) => key.source !== 'lookupTable').map((key) => key.pubkey) : (rawKeys as string[]);
  const loaded = (meta['loadedAddresses'] as { writable: string[]; readonly: string[] } | undefined | null) ?? {
    writable: parsedKeys.filter((key) => key.source === 'lookupTable' && key.writable).map((key) => key.pubkey),
    readonly: parsedKeys.filter((key) => key.source === 'lookupTable' && !key.writable).map((key) => key.pubkey),
  };
  const allKeys = [...staticKeys, ...loaded.writable, ...loaded.readonly];
  const header = parsed
    ? { numRequiredSignatures: parsedKeys.filter((key) => key.signer).length, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: 0 }
    : (message['header'] as { numRequiredSignatures: number; numReadonlySignedAccounts: number; numReadonlyUnsignedAccounts: number });
  const compiled = (instruction: JsonObject) => {
    const programIdIndex = typeof instruction['programIdIndex'] === 'number' ? instruction['programIdIndex'] : allKeys.indexOf(String(instruction['programId']));
    const accounts = Array.isArray(instruction['accounts'])
      ? (instruction['accounts'] as unknown[]).map((account) => (typeof account === 'number' ? account : allKeys.indexOf(String(account))))
      : [];
    const data = typeof instruction['data'] === 'string' ? base58Decode(instruction['data']) : new Uint8Array();
    return { programIdIndex, accounts: Uint8Array.from(accounts), data };
  };
  const tokenBalance = (balance: JsonObject) => {
    const amount = balance['uiTokenAmount'] as JsonObject;
    return {
      accountIndex: balance['accountIndex'] as number,
      mint: balance['mint'] as string,
      owner: balance['owner'] as string,
      programId: (balance['programId'] as string | undefined) ?? '',
      uiTokenAmount: { uiAmount: Number(amount['uiAmount'] ?? 0), decimals: amount['decimals'] as number, amount: String(amount['amount']), uiAmountString: String(amount['uiAmountString'] ?? '') },
    };
  };
  const version = json['version'];
  const lookups = (message['addressTableLookups'] as JsonObject[] | undefined) ?? [];
  const err = meta['err'];
  return {
    signature: signatures[0]!,
    isVote: false,
    index: '0',
    transaction: {
      signatures,
      message: {
        header,
        accountKeys: staticKeys.map(base58Decode),
        recentBlockhash: base58Decode(String(message['recentBlockhash'])),
        instructions: (message['instructions'] as JsonObject[]).map(compiled),
        versioned: version !== 'legacy' && version !== undefined,
        addressTableLookups: lookups.map((lookup) => ({
          accountKey: base58Decode(String(lookup['accountKey'])),
          writableIndexes: Uint8Array.from(lookup['writableIndexes'] as number[]),
          readonlyIndexes: Uint8Array.from(lookup['readonlyIndexes'] as number[]),
        })),
      },
    },
    meta: {
      err: err === null || err === undefined ? undefined : { err: bincodeError(err) },
      fee: String(meta['fee']),
      preBalances: (meta['preBalances'] as unknown[]).map(String),
      postBalances: (meta['postBalances'] as unknown[]).map(String),
      innerInstructions: ((meta['innerInstructions'] as JsonObject[] | null) ?? []).map((group) => ({
        index: group['index'] as number,
        instructions: (group['instructions'] as JsonObject[]).map((instruction) => ({
          ...compiled(instruction),
          stackHeight: typeof instruction['stackHeight'] === 'number' ? instruction['stackHeight'] : undefined,
        })),
      })),
      innerInstructionsNone: false,
      logMessages: ((meta['logMessages'] as string[] | null) ?? []).slice(),
      logMessagesNone: false,
      preTokenBalances: ((meta['preTokenBalances'] as JsonObject[] | null) ?? []).map(tokenBalance),
      postTokenBalances: ((meta['postTokenBalances'] as JsonObject[] | null) ?? []).map(tokenBalance),
      rewards: [],
      loadedWritableAddresses: loaded.writable.map(base58Decode),
      loadedReadonlyAddresses: loaded.readonly.map(base58Decode),
      returnData: undefined,
      returnDataNone: true,
    },
  };
}

// InstructionError variants of solana-program in bincode order, for the unit ones.
const INSTRUCTION_ERRORS = ['GenericError', 'InvalidArgument', 'InvalidInstructionData', 'InvalidAccountData', 'AccountDataTooSmall', 'InsufficientFunds', 'IncorrectProgramId'];
const TRANSACTION_INSTRUCTION_ERROR = 8;
const INSTRUCTION_CUSTOM = 25;

/** A transaction error (as RPC's JSON gives it) in the bincode form the Geyser stream carries. */
function bincodeError(err: unknown): Uint8Array {
  const instruction = (err as { InstructionError?: [number, unknown] }).InstructionError;
  if (!instruction) throw new Error(`the local Geyser server cannot encode the error ${JSON.stringify(err)}`);
  const [index, inner] = instruction;
  const head = Buffer.alloc(5);
  head.writeUInt32LE(TRANSACTION_INSTRUCTION_ERROR, 0);
  head.writeUInt8(index, 4);
  if (typeof inner === 'object' && inner !== null && 'Custom' in inner) {
    const body = Buffer.alloc(8);
    body.writeUInt32LE(INSTRUCTION_CUSTOM, 0);
    body.writeUInt32LE(Number((inner as { Custom: number }).Custom), 4);
    return Buffer.concat([head, body]);
  }
  const variant = INSTRUCTION_ERRORS.indexOf(String(inner));
  if (variant < 0) throw new Error(`the local Geyser server cannot encode the instruction error ${JSON.stringify(inner)}`);
  const body = Buffer.alloc(4);
  body.writeUInt32LE(variant, 0);
  return Buffer.concat([head, body]);
}

import { createHash } from 'node:crypto';

import { base58Decode, base58Encode } from '../../../src/tracker/solana/base58.js';
import { decodeSolanaTransaction } from '../../../src/tracker/solana/decodeSolanaTransaction.js';
import { encodeAccount } from './encodeAccount.js';
import { encodeTransactionResult, type TransactionEncoding } from './encodeTransactionResult.js';
import type { LedgerTransaction, SimulatedLedger } from './simulatedLedger.js';
import { invalidParams, SolanaRpcError } from './solanaRpcError.js';
import { decodeSplTokenAccount, TOKEN_PROGRAMS } from './splTokenAccount.js';

type JsonObject = Record<string, unknown>;

/** Answers one JSON-RPC call: returns its `result` or throws a SolanaRpcError. */
export type SolanaRpcMethods = (method: string, params: unknown) => unknown;

const MAX_SIGNATURES_LIMIT = 1000;
// Slots a confirmed block waits before it is rooted, roughly, on mainnet.
const FINALITY_DEPTH = 32;
// Mainnet has skipped about this many slots: block height and slot must not be confused.
const SKIPPED_SLOTS = 20_000_000;
const BLOCKHASH_LIFETIME = 150;
const MAINNET_GENESIS_HASH = '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d';
const NODE_VERSION = { 'feature-set': 3294202862, 'solana-core': '2.2.14' };
const TRANSACTION_ENCODINGS: ReadonlySet<string> = new Set(['json', 'jsonParsed', 'base64', 'base58']);
const TRANSACTION_DETAILS: ReadonlySet<string> = new Set(['full', 'accounts', 'signatures', 'none']);
// The node refuses getBlocks ranges wider than this.
const MAX_GET_BLOCKS_RANGE = 500_000;

/** The HTTP methods of the simulated node, answered from the ledger. */
export function createSolanaRpcMethods(
  ledger: SimulatedLedger,
  /** The lowest priority fee (micro-lamports per CU) that landed in each of the newest slots, oldest first. */
  prioritizationFees: () => readonly number[] = () => [],
): SolanaRpcMethods {
  const context = (): JsonObject => ({ apiVersion: NODE_VERSION['solana-core'], slot: ledger.tip() });
  const blockHeight = (): number => ledger.tip() - SKIPPED_SLOTS;
  const mintDecimals = (mint: string): number | undefined => ledger.mintDecimals(mint);

  /** Why a slot has no block to give, as the node says it: not reached yet, or skipped. */
  const checkProduced = (slot: number): void => {
    if (slot > ledger.tip()) throw new SolanaRpcError(-32004, `Block not available for slot ${slot}`);
    if (ledger.isSkipped(slot)) {
      throw new SolanaRpcError(-32007, `Slot ${slot} was skipped, or missing due to ledger jump to recent snapshot`);
    }
  };

  /** The newest produced slot before this one: skipped slots have no block to be a parent. */
  const parentOf = (slot: number): number => {
    let parent = slot - 1;
    while (parent > 0 && ledger.isSkipped(parent)) parent--;
    return parent;
  };

  const methods: Record<string, (params: unknown[]) => unknown> = {
    getHealth: () => 'ok',
    // Note: a node answers for its last 150 slots at most, oldest first, one entry per slot.
    getRecentPrioritizationFees: () => {
      const fees = prioritizationFees().slice(-150);
      return fees.map((prioritizationFee, index) => ({ slot: ledger.tip() - fees.length + 1 + index, prioritizationFee }));
    },
    getVersion: () => NODE_VERSION,
    getGenesisHash: () => MAINNET_GENESIS_HASH,
    getSlot: () => ledger.tip(),
    getBlockHeight: () => blockHeight(),

    getLatestBlockhash: () => ({
      context: context(),
      value: { blockhash: blockhashOf(ledger.tip()), lastValidBlockHeight: blockHeight() + BLOCKHASH_LIFETIME },
    }),

    getBalance: (params) => {
      const address = readPubkey(params[0]);
      return { context: context(), value: Number(ledger.account(address)?.lamports ?? 0n) };
    },

    getAccountInfo: (params) => {
      const address = readPubkey(params[0]);
      const account = ledger.account(address);
      const encoding = configAt(params, 1)['encoding'];
      return { context: context(), value: account ? encodeAccount(account, encoding, mintDecimals) : null };
    },

    getTokenAccountsByOwner: (params) => {
      const owner = readPubkey(params[0]);
      const filter = configAt(params, 1);
      const encoding = configAt(params, 2)['encoding'];
      const mint = filter['mint'] === undefined ? undefined : readPubkey(filter['mint']);
      const programId = filter['programId'] === undefined ? undefined : readPubkey(filter['programId']);
      if (mint === undefined && programId === undefined) {
        throw invalidParams('Invalid params: expected a filter of {mint} or {programId}.');
      }
      if (programId !== undefined && !TOKEN_PROGRAMS.has(programId)) {
        throw invalidParams('Invalid param: unrecognized Token program id');
      }
      const value = [];
      for (const [pubkey, account] of ledger.accounts()) {
        if (!TOKEN_PROGRAMS.has(account.owner)) continue;
        if (programId !== undefined && account.owner !== programId) continue;
        const token = decodeSplTokenAccount(account.data);
        if (token === null || token.owner !== owner) continue;
        if (mint !== undefined && token.mint !== mint) continue;
        value.push({ account: encodeAccount(account, encoding, mintDecimals), pubkey });
      }
      return { context: context(), value };
    },

    getSignaturesForAddress: (params) => {
      const address = readPubkey(params[0]);
      const config = configAt(params, 1);
      const limit = config['limit'] ?? MAX_SIGNATURES_LIMIT;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_SIGNATURES_LIMIT) {
        throw invalidParams(`Invalid limit; max ${MAX_SIGNATURES_LIMIT}`);
      }
      const before = config['before'] === undefined ? undefined : ledger.transaction(readSignature(config['before']));
      // A node that does not know `before` has nothing older to show; an unknown `until` is no bound.
      if (config['before'] !== undefined && before === undefined) return [];
      const until = config['until'] === undefined ? undefined : ledger.transaction(readSignature(config['until']));
      return ledger
        .transactionsMentioning(address)
        .filter((tx) => (before === undefined || isOlder(tx, before)) && (until === undefined || isOlder(until, tx)))
        .slice(0, limit)
        .map((tx) => ({
          blockTime: tx.blockTime,
          confirmationStatus: ledger.tip() - tx.slot >= FINALITY_DEPTH ? 'finalized' : 'confirmed',
          err: tx.err,
          memo: null,
          signature: tx.signature,
          slot: tx.slot,
        }));
    },

    getBlocks: (params) => {
      const start = readSlot(params[0]);
      // The end is optional; a config object may stand in its place.
      const end = typeof params[1] === 'number' ? readSlot(params[1]) : ledger.tip();
      if (end - start > MAX_GET_BLOCKS_RANGE) throw invalidParams(`Slot range too large; max ${MAX_GET_BLOCKS_RANGE}`);
      const slots: number[] = [];
      for (let slot = start; slot <= Math.min(end, ledger.tip()); slot++) if (!ledger.isSkipped(slot)) slots.push(slot);
      return slots;
    },

    getBlockTime: (params) => {
      const slot = readSlot(params[0]);
      checkProduced(slot);
      return ledger.blockTimeOf(slot);
    },

    getBlock: (params) => {
      const slot = readSlot(params[0]);
      const config: JsonObject = typeof params[1] === 'string' ? { encoding: params[1] } : configAt(params, 1);
      const encoding = config['encoding'] ?? 'json';
      if (typeof encoding !== 'string' || !TRANSACTION_ENCODINGS.has(encoding)) {
        throw invalidParams(`Invalid params: unknown variant \`${String(encoding)}\`.`);
      }
      const details = config['transactionDetails'] ?? 'full';
      if (typeof details !== 'string' || !TRANSACTION_DETAILS.has(details)) {
        throw invalidParams(`Invalid params: unknown variant \`${String(details)}\`.`);
      }
      checkProduced(slot);
      const transactions = ledger.transactionsInSlot(slot);
      const maxVersion = config['maxSupportedTransactionVersion'];
      const unsupported = transactions.find((tx) => typeof tx.version === 'number' && (typeof maxVersion !== 'number' || tx.version > maxVersion));
      if (unsupported !== undefined) {
        throw new SolanaRpcError(
          -32015,
          `Transaction version (${String(unsupported.version)}) is not supported by the requesting client. ` +
            `Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": ${String(unsupported.version)}`,
        );
      }
      const block: JsonObject = {
        blockHeight: slot - SKIPPED_SLOTS,
        blockTime: ledger.blockTimeOf(slot),
        blockhash: blockhashOf(slot),
        parentSlot: parentOf(slot),
        previousBlockhash: blockhashOf(parentOf(slot)),
      };
      if (config['rewards'] !== false) block['rewards'] = [];
      if (details === 'signatures') block['signatures'] = transactions.map((tx) => tx.signature);
      if (details === 'full' || details === 'accounts') {
        block['transactions'] = transactions.map((tx) => {
          const { slot: _slot, blockTime: _time, version, ...entry } = encodeTransactionResult(tx.result, encoding as TransactionEncoding);
          const shaped = details === 'accounts' ? accountsOnly(entry, tx) : entry;
          return maxVersion === undefined ? shaped : { ...shaped, version: version ?? tx.version };
        });
      }
      return block;
    },

    getTransaction: (params) => {
      const signature = readSignature(params[0]);
      // Old clients pass the encoding alone instead of a config object.
      const config: JsonObject = typeof params[1] === 'string' ? { encoding: params[1] } : configAt(params, 1);
      const encoding = config['encoding'] ?? 'json';
      if (typeof encoding !== 'string' || !TRANSACTION_ENCODINGS.has(encoding)) {
        throw invalidParams(`Invalid params: unknown variant \`${String(encoding)}\`.`);
      }
      const tx = ledger.transaction(signature);
      if (tx === undefined) return null;
      const maxVersion = config['maxSupportedTransactionVersion'];
      if (typeof tx.version === 'number' && (typeof maxVersion !== 'number' || tx.version > maxVersion)) {
        throw new SolanaRpcError(
          -32015,
          `Transaction version (${tx.version}) is not supported by the requesting client. ` +
            `Please try the request again with the following configuration parameter: "maxSupportedTransactionVersion": ${tx.version}`,
        );
      }
      const result = encodeTransactionResult(tx.result, encoding as TransactionEncoding);
      // Clients that do not declare a version get no `version` field, as before versions existed.
      if (maxVersion === undefined) {
        const { version: _version, ...unversioned } = result;
        return unversioned;
      }
      return { ...result, version: tx.version };
    },
  };

  return (method, params) => {
    const handler = methods[method];
    if (handler === undefined) throw new SolanaRpcError(-32601, 'Method not found');
    if (params !== undefined && !Array.isArray(params)) throw invalidParams('Invalid params: expected an array.');
    return handler(params ?? []);
  };
}

/**
 * What `transactionDetails: "accounts"` gives of a transaction: its signatures and every account key with
 * where it came from, and a meta without instructions or logs.
 */
function accountsOnly(entry: JsonObject, tx: LedgerTransaction): JsonObject {
  const meta = { ...(entry['meta'] as JsonObject) };
  delete meta['innerInstructions'];
  delete meta['logMessages'];
  delete meta['loadedAddresses'];
  delete meta['returnData'];
  delete meta['computeUnitsConsumed'];
  const decoded = decodeSolanaTransaction(tx.result);
  const staticCount = decoded.accountKeys.length - lookupCount(tx.result);
  return {
    transaction: {
      signatures: [tx.signature],
      accountKeys: decoded.accountKeys.map((pubkey, index) => ({
        pubkey,
        signer: decoded.signers.includes(pubkey),
        source: index < staticCount ? 'transaction' : 'lookupTable',
        // Note: approximated from what the decoder keeps (the fee payer and every account whose lamports moved);
        // the follower does not read this flag.
        writable: decoded.lamports.pre[index] !== decoded.lamports.post[index] || index === 0,
      })),
    },
    meta,
  };
}

function lookupCount(result: JsonObject): number {
  const loaded = (result['meta'] as JsonObject | undefined)?.['loadedAddresses'] as { writable?: unknown[]; readonly?: unknown[] } | undefined;
  return (loaded?.writable?.length ?? 0) + (loaded?.readonly?.length ?? 0);
}


function readSlot(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidParams('Invalid params: expected a slot (u64).');
  return value;
}

function isOlder(tx: LedgerTransaction, than: LedgerTransaction): boolean {
  return tx.slot < than.slot || (tx.slot === than.slot && tx.sequence < than.sequence);
}

function configAt(params: unknown[], index: number): JsonObject {
  const value = params[index];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParams(`Invalid params: parameter ${index} must be an object.`);
  return value as JsonObject;
}

// The node reports the parse error's variant name: Invalid or WrongSize.
function readBase58(value: unknown, size: number): string {
  if (typeof value !== 'string') throw invalidParams('Invalid params: expected a base58 string.');
  let bytes: Uint8Array;
  try {
    bytes = base58Decode(value);
  } catch {
    throw invalidParams('Invalid param: Invalid');
  }
  if (bytes.length !== size) throw invalidParams('Invalid param: WrongSize');
  return value;
}

const readPubkey = (value: unknown): string => readBase58(value, 32);
const readSignature = (value: unknown): string => readBase58(value, 64);

/** A stable fake blockhash per slot, so a client sees it change as the chain moves. */
function blockhashOf(slot: number): string {
  return base58Encode(createHash('sha256').update(`slot ${slot}`).digest());
}

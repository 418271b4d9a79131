import { decodeSolanaTransaction } from '../../../src/tracker/solana/decodeSolanaTransaction.js';
import { transactionEncodingOf, type TransactionEncoding } from './encodeTransactionResult.js';
import { TOKEN_PROGRAMS } from './splTokenAccount.js';

type JsonObject = Record<string, unknown>;

/** One published transaction as the simulated node keeps it. */
export type LedgerTransaction = {
  signature: string;
  slot: number;
  blockTime: number;
  /** Publication order; breaks ties between transactions of one slot. */
  sequence: number;
  version: 'legacy' | number;
  err: unknown;
  logs: string[];
  /** Static keys, then lookup-table writable, then lookup-table readonly. */
  accountKeys: string[];
  encoding: TransactionEncoding;
  /** A copy of the published result with slot and blockTime rewritten. */
  result: JsonObject;
};

/** An account as getAccountInfo shows it. */
export type LedgerAccount = { lamports: bigint; owner: string; data: Buffer; executable: boolean };

/** Where a published transaction lands; both default to "now". */
export type PublishOptions = { slot?: number; blockTime?: number };

/** The chain state behind the simulated node: transactions by slot and a map of accounts. */
export type SimulatedLedger = {
  /** The newest slot: the last published one, or the start slot. */
  tip(): number;
  publish(result: unknown, options?: PublishOptions): LedgerTransaction;
  transaction(signature: string): LedgerTransaction | undefined;
  /** Transactions that list the address among their account keys, newest first. */
  transactionsMentioning(address: string): LedgerTransaction[];
  account(address: string): LedgerAccount | undefined;
  accounts(): Iterable<[string, LedgerAccount]>;
  setAccount(address: string, account: LedgerAccount): void;
  /** Records a mint's decimals for parsing its token accounts when no mint account is set. */
  setMintDecimals(mint: string, decimals: number): void;
  mintDecimals(mint: string): number | undefined;
  onPublish(listener: (transaction: LedgerTransaction) => void): void;
  onSlot(listener: (slot: number, parent: number) => void): void;
  /** Transactions of one slot in the order they were published: the block's order. */
  transactionsInSlot(slot: number): LedgerTransaction[];
  /** Marks slots as skipped (no block was produced); nothing may be published into them. */
  skipSlots(slots: number[]): void;
  isSkipped(slot: number): boolean;
  /** Moves the tip to `slot` without a transaction: the slots passed produced empty blocks unless skipped. */
  advanceTo(slot: number): void;
  /** Unix seconds of a produced slot: its transactions' time, else the time of the newest slot before it that had some. */
  blockTimeOf(slot: number): number;
};

/** A ledger whose first published transaction lands in startSlot + 1. */
export function createSimulatedLedger(options: { startSlot: number }): SimulatedLedger {
  let tip = options.startSlot;
  let lastBlockTime = 0;
  let sequence = 0;
  const bySignature = new Map<string, LedgerTransaction>();
  const byAddress = new Map<string, LedgerTransaction[]>();
  const accounts = new Map<string, LedgerAccount>();
  const decimalsByMint = new Map<string, number>();
  const publishListeners: Array<(transaction: LedgerTransaction) => void> = [];
  const slotListeners: Array<(slot: number, parent: number) => void> = [];
  const bySlot = new Map<number, LedgerTransaction[]>();
  const skipped = new Set<number>();
  const timeBySlot = new Map<number, number>();
  const startTime = Math.floor(Date.now() / 1000);

  const newestFirst = (a: LedgerTransaction, b: LedgerTransaction): number =>
    b.slot - a.slot || b.sequence - a.sequence;

  return {
    tip: () => tip,

    publish(result, publishOptions = {}) {
      const decoded = decodeSolanaTransaction(result);
      if (bySignature.has(decoded.signature)) {
        throw new Error(`transaction ${decoded.signature} is already on the simulated ledger`);
      }
      let slot = publishOptions.slot ?? tip + 1;
      if (publishOptions.slot === undefined) while (skipped.has(slot)) slot++;
      if (skipped.has(slot)) throw new Error(`slot ${slot} is skipped on the simulated ledger; nothing can land in it`);
      // Block times never go backwards on a real chain, even when tests publish fast.
      const blockTime = publishOptions.blockTime ?? Math.max(lastBlockTime, Math.floor(Date.now() / 1000));
      lastBlockTime = Math.max(lastBlockTime, blockTime);
      const stored: JsonObject = { ...structuredClone(result as JsonObject), slot, blockTime };
      const meta = stored['meta'] as JsonObject;
      const logs = meta['logMessages'];
      const transaction: LedgerTransaction = {
        signature: decoded.signature,
        slot,
        blockTime,
        sequence: sequence++,
        version: decoded.version,
        err: meta['err'] ?? null,
        logs: Array.isArray(logs) ? logs.filter((line): line is string => typeof line === 'string') : [],
        accountKeys: decoded.accountKeys,
        encoding: transactionEncodingOf(stored),
        result: stored,
      };
      bySignature.set(transaction.signature, transaction);
      const inSlot = bySlot.get(slot) ?? [];
      inSlot.push(transaction);
      bySlot.set(slot, inSlot);
      if (!timeBySlot.has(slot)) timeBySlot.set(slot, blockTime);
      for (const address of new Set(decoded.accountKeys)) {
        const list = byAddress.get(address) ?? [];
        list.push(transaction);
        byAddress.set(address, list);
      }
      const parent = tip;
      if (slot > tip) tip = slot;
      for (const listener of publishListeners) listener(transaction);
      if (tip > parent) for (const listener of slotListeners) listener(tip, parent);
      return transaction;
    },

    transaction: (signature) => bySignature.get(signature),
    transactionsMentioning: (address) => [...(byAddress.get(address) ?? [])].sort(newestFirst),
    account: (address) => accounts.get(address),
    accounts: () => accounts.entries(),
    setAccount: (address, account) => void accounts.set(address, account),
    setMintDecimals: (mint, decimals) => void decimalsByMint.set(mint, decimals),

    mintDecimals(mint) {
      // A mint account's decimals sit at byte 44, after the mint authority and the supply.
      const account = accounts.get(mint);
      if (account && TOKEN_PROGRAMS.has(account.owner) && account.data.length >= 82 && account.data[45] === 1) {
        return account.data[44];
      }
      return decimalsByMint.get(mint);
    },

    onPublish: (listener) => void publishListeners.push(listener),
    onSlot: (listener) => void slotListeners.push(listener),

    transactionsInSlot: (slot) => [...(bySlot.get(slot) ?? [])].sort((a, b) => a.sequence - b.sequence),
    skipSlots(slots) {
      for (const slot of slots) {
        if (bySlot.has(slot)) throw new Error(`slot ${slot} already holds transactions; it cannot be skipped`);
        skipped.add(slot);
      }
    },
    isSkipped: (slot) => skipped.has(slot),
    advanceTo(slot) {
      if (slot <= tip) return;
      const parent = tip;
      tip = slot;
      for (const listener of slotListeners) listener(tip, parent);
    },
    blockTimeOf(slot) {
      let best: number | undefined;
      let bestSlot = -1;
      for (const [at, time] of timeBySlot) if (at <= slot && at > bestSlot) [best, bestSlot] = [time, at];
      return best ?? Math.max(startTime, lastBlockTime);
    },
  };
}

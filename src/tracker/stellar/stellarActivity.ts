import type { HorizonOperation, HorizonTrade } from './horizonTypes.js';
import { ledgerOfOperation, parseStellarAmount, stellarAssetKey } from './stellarAmounts.js';

/** What one account did in one Stellar transaction: its balance changes (fee excluded), the fee it paid. */
export type StellarTxActivity = {
  txHash: string;
  ledger: bigint;
  time: Date | null;
  fee: bigint;
  deltas: Map<string, bigint>;
  /** The other account of its payments, when there was exactly one. */
  counterparties: Set<string>;
  /** 'stellar-dex' when offers or a path were crossed. */
  venue: string | null;
};

const PATH_PAYMENTS = new Set(['path_payment_strict_send', 'path_payment_strict_receive', 'path_payment']);

/**
 * An account's activity per transaction from its operations and its DEX trades (both of Horizon's account lists).
 * Payments, path payments, account creation and merges move funds directly; a trade of an offer adds what it sold
 * and bought. Note: the trades of the account's own path payments are already in the path payment's amounts and are
 * left out; `trades[i].txHash` is the transaction of the trade's operation, which the trade record does not carry.
 */
export function stellarActivity(
  wallet: string,
  operations: readonly HorizonOperation[],
  trades: readonly (HorizonTrade & { txHash: string })[],
  mergedAmounts: ReadonlyMap<string, bigint>,
): StellarTxActivity[] {
  const byTx = new Map<string, StellarTxActivity>();
  const feesTaken = new Set<string>();
  const activity = (txHash: string, ledger: bigint, time: string): StellarTxActivity => {
    let entry = byTx.get(txHash);
    if (!entry) byTx.set(txHash, (entry = { txHash, ledger, time: parseTime(time), fee: 0n, deltas: new Map(), counterparties: new Set(), venue: null }));
    return entry;
  };
  const add = (entry: StellarTxActivity, asset: string | null, amount: bigint) => {
    if (asset === null || amount === 0n) return;
    const sum = (entry.deltas.get(asset) ?? 0n) + amount;
    if (sum === 0n) entry.deltas.delete(asset);
    else entry.deltas.set(asset, sum);
  };
  const ownPathPayments = new Set<string>();

  for (const op of operations) {
    if (op.transaction_successful === false) continue;
    const entry = activity(op.transaction_hash, ledgerOfOperation(op.id), op.created_at);
    const payer = op.transaction ? (op.transaction.fee_account ?? op.transaction.source_account) : null;
    if (payer === wallet && op.transaction && !feesTaken.has(op.transaction_hash)) {
      feesTaken.add(op.transaction_hash);
      entry.fee = BigInt(op.transaction.fee_charged);
    }
    const destAsset = stellarAssetKey(op.asset_type, op.asset_code, op.asset_issuer);
    if (op.type === 'payment' && op.amount !== undefined) {
      const amount = parseStellarAmount(op.amount);
      if (op.to === wallet) add(entry, destAsset, amount);
      if (op.from === wallet) add(entry, destAsset, -amount);
      noteCounterparty(entry, wallet, op.from, op.to);
    } else if (PATH_PAYMENTS.has(op.type) && op.amount !== undefined && op.source_amount !== undefined) {
      if (op.to === wallet) add(entry, destAsset, parseStellarAmount(op.amount));
      if (op.from === wallet) {
        add(entry, stellarAssetKey(op.source_asset_type, op.source_asset_code, op.source_asset_issuer), -parseStellarAmount(op.source_amount));
        ownPathPayments.add(op.id);
      }
      entry.venue = 'stellar-dex';
      noteCounterparty(entry, wallet, op.from, op.to);
    } else if (op.type === 'create_account' && op.starting_balance !== undefined) {
      const amount = parseStellarAmount(op.starting_balance);
      if (op.account === wallet) add(entry, stellarAssetKey('native', undefined, undefined), amount);
      if (op.funder === wallet) add(entry, stellarAssetKey('native', undefined, undefined), -amount);
      noteCounterparty(entry, wallet, op.funder, op.account);
    } else if (op.type === 'account_merge') {
      const amount = mergedAmounts.get(op.id) ?? 0n;
      if (op.into === wallet) add(entry, stellarAssetKey('native', undefined, undefined), amount);
      if (op.account === wallet) add(entry, stellarAssetKey('native', undefined, undefined), -amount);
      noteCounterparty(entry, wallet, op.account, op.into);
    }
  }

  for (const trade of trades) {
    const opId = trade.id.split('-')[0]!;
    if (ownPathPayments.has(opId)) continue;
    const base = stellarAssetKey(trade.base_asset_type, trade.base_asset_code, trade.base_asset_issuer);
    const counter = stellarAssetKey(trade.counter_asset_type, trade.counter_asset_code, trade.counter_asset_issuer);
    const baseAmount = parseStellarAmount(trade.base_amount);
    const counterAmount = parseStellarAmount(trade.counter_amount);
    const entry = activity(trade.txHash, ledgerOfOperation(trade.id), trade.ledger_close_time);
    entry.venue = 'stellar-dex';
    // Note: the base account sold the base asset when base_is_seller, and the counter account bought it.
    const sides: [string | undefined, 1n | -1n][] = [
      [trade.base_account, trade.base_is_seller ? -1n : 1n],
      [trade.counter_account, trade.base_is_seller ? 1n : -1n],
    ];
    for (const [account, baseSign] of sides) {
      if (account !== wallet) continue;
      add(entry, base, baseSign * baseAmount);
      add(entry, counter, -baseSign * counterAmount);
    }
  }
  return [...byTx.values()].sort((a, b) => (a.ledger === b.ledger ? a.txHash.localeCompare(b.txHash) : a.ledger < b.ledger ? -1 : 1));
}

function noteCounterparty(entry: StellarTxActivity, wallet: string, from: string | undefined, to: string | undefined): void {
  const other = from === wallet ? to : from;
  if (other && other !== wallet) entry.counterparties.add(other);
}

function parseTime(text: string): Date | null {
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? null : time;
}

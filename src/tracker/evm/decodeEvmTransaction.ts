import { NATIVE, type WalletDeltas } from '../walletDeltas.js';
import { EvmDecodeError } from './EvmDecodeError.js';
import { erc20TransfersOf } from './erc20TransfersOf.js';
import type { EvmTransactionInput, RpcReceipt } from './evmRpcTypes.js';
import { parseQuantity } from './parseQuantity.js';
import { transactionFee } from './transactionFee.js';
import { recipientOf, senderOf } from './transactionParties.js';
import { walletsTouched } from './walletsTouched.js';

export { erc20TransfersOf, type Erc20Transfer } from './erc20TransfersOf.js';
export { walletsTouched } from './walletsTouched.js';
export type { EvmTransactionInput, RpcLog, RpcReceipt, RpcTx } from './evmRpcTypes.js';

/** One movement of an asset between two accounts; `from` is null for coin created on the way in. */
type AssetMove = { asset: string; from: string | null; to: string; amount: bigint };

/**
 * What each of `wallets` gained and lost in one transaction, from its raw (or viem-parsed) body and
 * receipt. Wallets the transaction does not touch are left out.
 *
 * `internalNative` is the hook for native coin moved inside internal calls, which a receipt does not
 * show: the caller measures it (balance before and after, or a call trace) without the transaction's
 * value and fee, and it is added to `NATIVE`.
 */
export function decodeEvmTransaction(
  input: EvmTransactionInput,
  wallets: Iterable<string>,
  internalNative?: ReadonlyMap<string, bigint>,
): WalletDeltas[] {
  assertSameTransaction(input);
  const sender = senderOf(input);
  const failed = isFailed(input.receipt);
  const fee = transactionFee(input);
  const moves = assetMoves(input, sender, failed);
  const touched = walletsTouched(input);
  const internal = lowerCaseKeys(internalNative);

  const results: WalletDeltas[] = [];
  for (const wallet of uniqueLowerCase(wallets)) {
    const extraNative = internal.get(wallet) ?? 0n;
    if (!touched.has(wallet) && extraNative === 0n) continue;
    const deltas = deltasOf(wallet, moves);
    add(deltas, NATIVE, extraNative);
    results.push({ wallet, failed, fee: wallet === sender ? fee : 0n, deltas: withoutZeros(deltas) });
  }
  return results;
}

function assertSameTransaction({ tx, receipt }: EvmTransactionInput): void {
  if (tx.hash === undefined || receipt.transactionHash === undefined) return;
  if (tx.hash.toLowerCase() !== receipt.transactionHash.toLowerCase()) {
    throw new EvmDecodeError('The receipt belongs to another transaction than the one given.', {
      details: `tx ${tx.hash}, receipt of ${receipt.transactionHash}`,
    });
  }
}

function isFailed(receipt: RpcReceipt): boolean {
  const status = receipt.status;
  if (status === '0x0' || status === 'reverted') return true;
  // Note: receipts from before Byzantium carry a state root instead of a status and cannot say; they count as succeeded.
  if (status === '0x1' || status === 'success' || status === undefined || status === null) return false;
  throw new EvmDecodeError(`The receipt's status '${status}' is neither 0x1 (success) nor 0x0 (reverted).`);
}

function assetMoves(input: EvmTransactionInput, sender: string, failed: boolean): AssetMove[] {
  const moves: AssetMove[] = [];
  const minted = input.tx.mint == null ? 0n : parseQuantity(input.tx.mint, 'tx.mint');
  // Note: an OP-stack deposit keeps its mint even when its execution reverts.
  if (minted > 0n) moves.push({ asset: NATIVE, from: null, to: sender, amount: minted });
  // A reverted transaction undoes its value transfer and every token transfer; only its fee stays paid.
  if (failed) return moves;

  const value = parseQuantity(input.tx.value, 'tx.value');
  const recipient = recipientOf(input);
  if (value > 0n && recipient !== null) moves.push({ asset: NATIVE, from: sender, to: recipient, amount: value });
  for (const transfer of erc20TransfersOf(input.receipt.logs)) {
    moves.push({ asset: transfer.token, from: transfer.from, to: transfer.to, amount: transfer.amount });
  }
  return moves;
}

function deltasOf(wallet: string, moves: readonly AssetMove[]): Map<string, bigint> {
  const deltas = new Map<string, bigint>();
  for (const move of moves) {
    if (move.to === wallet) add(deltas, move.asset, move.amount);
    if (move.from === wallet) add(deltas, move.asset, -move.amount);
  }
  return deltas;
}

function add(deltas: Map<string, bigint>, asset: string, amount: bigint): void {
  if (amount !== 0n) deltas.set(asset, (deltas.get(asset) ?? 0n) + amount);
}

function withoutZeros(deltas: Map<string, bigint>): Map<string, bigint> {
  return new Map([...deltas].filter(([, amount]) => amount !== 0n));
}

function uniqueLowerCase(wallets: Iterable<string>): Set<string> {
  return new Set([...wallets].map((wallet) => wallet.toLowerCase()));
}

function lowerCaseKeys(map: ReadonlyMap<string, bigint> | undefined): Map<string, bigint> {
  const lower = new Map<string, bigint>();
  for (const [wallet, amount] of map ?? []) add(lower, wallet.toLowerCase(), amount);
  return lower;
}

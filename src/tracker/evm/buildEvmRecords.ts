import type { ChainConfig } from '../../config/chainPresets.js';
import { classifyTrade } from '../classifyTrade.js';
import type { TokenInfo } from '../createTokenRegistry.js';
import { stablecoinUsdValue } from '../stablecoinUsdValue.js';
import { tradeRecord, type AssetTransfer, type ChainPosition, type TradeRecord } from '../tradeRecord.js';
import { NATIVE } from '../walletDeltas.js';
import { decodeEvmTransaction, erc20TransfersOf, walletsTouched } from './decodeEvmTransaction.js';
import type { RpcReceipt, RpcTx } from './evmRpcTypes.js';
import { parseQuantity } from './parseQuantity.js';

export type EvmTxInput = {
  position: ChainPosition;
  tx: RpcTx & { from: string };
  receipt: RpcReceipt;
  /** Native coin moved to or from wallets by internal calls, measured by the follower. */
  internalNative: ReadonlyMap<string, bigint>;
  /** Native coin moved inside calls that could not be given to this transaction alone (see measureInternalNative). */
  unsplitNative?: ReadonlyMap<string, bigint>;
};

/** Whether no followed wallet of the chain has held this asset before: the caller knows the history. */
export type SpamCheck = (wallet: string, asset: string) => Promise<boolean>;

/** The assets a transaction moved for the followed wallets, so their metadata can be read first. */
export function assetsOf(input: EvmTxInput, followed: ReadonlySet<string>): string[] {
  const assets = new Set<string>();
  for (const transfer of erc20TransfersOf(input.receipt.logs)) {
    if (followed.has(transfer.from) || followed.has(transfer.to)) assets.add(transfer.token);
  }
  return [...assets];
}

/** Turns one transaction into a record per followed wallet it touched, keyed by (chain, tx, wallet). */
export async function buildEvmRecords(
  chain: ChainConfig,
  input: EvmTxInput,
  followed: ReadonlySet<string>,
  tokens: ReadonlyMap<string, TokenInfo>,
  isUnsolicitedUnknown: SpamCheck,
): Promise<TradeRecord[]> {
  const touched = [...walletsTouched(input), ...input.internalNative.keys()].filter((wallet) => followed.has(wallet));
  const decoded = decodeEvmTransaction(input, new Set(touched), input.internalNative);
  const sender = input.tx.from.toLowerCase();
  const records: TradeRecord[] = [];
  for (const delta of decoded) {
    // Note: a transaction that moved nothing (an approval) is no trade; a failed one is kept for the gas it cost.
    if (delta.deltas.size === 0 && !delta.failed) continue;
    const classification = classifyTrade(delta.deltas, { stablecoins: chain.stablecoins, wrappedNative: chain.wrappedNative });
    const transfers = transfersOf(input, delta.wallet);
    const counterparties = new Set(transfers.map((move) => (move.from === delta.wallet ? move.to : move.from)));
    const isTransfer = classification.kind === 'transfer_in' || classification.kind === 'transfer_out';
    const asset = classification.base ?? [...delta.deltas.keys()][0] ?? null;
    const isSpam =
      classification.kind === 'transfer_in' &&
      !followed.has(sender) &&
      asset !== null &&
      !isQuote(chain, asset) &&
      (await isUnsolicitedUnknown(delta.wallet, asset));
    const record = tradeRecord(input.position, delta.wallet, delta, classification, {
      venue: null,
      counterparty: isTransfer && counterparties.size === 1 ? [...counterparties][0]! : null,
      usdValue: null,
      isSpam,
      transfers,
    });
    records.push({ ...record, usdValue: stablecoinUsdValue(record, tokens), unsplitNative: input.unsplitNative?.get(delta.wallet) ?? null });
  }
  return records;
}

function isQuote(chain: ChainConfig, asset: string): boolean {
  return asset === NATIVE || asset === chain.wrappedNative || chain.stablecoins.includes(asset);
}

function transfersOf(input: EvmTxInput, wallet: string): AssetTransfer[] {
  const failed = input.receipt.status === '0x0' || input.receipt.status === 'reverted';
  if (failed) return [];
  const moves: AssetTransfer[] = erc20TransfersOf(input.receipt.logs)
    .filter((transfer) => transfer.from === wallet || transfer.to === wallet)
    .map((transfer) => ({
      position: transfer.logIndex ?? -1,
      asset: transfer.token,
      from: transfer.from,
      to: transfer.to,
      amount: transfer.amount,
    }));
  const value = parseQuantity(input.tx.value, 'tx.value');
  const from = input.tx.from.toLowerCase();
  const to = input.tx.to?.toLowerCase() ?? null;
  // Note: position -1 is the transaction's own native value, which has no log.
  if (value > 0n && to !== null && (from === wallet || to === wallet)) {
    moves.push({ position: -1, asset: NATIVE, from, to, amount: value });
  }
  return moves;
}

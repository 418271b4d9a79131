import type { ChainConfig } from '../../config/chainPresets.js';
import { RetryableError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import type { SkippedTransaction } from '../ChainDriver.js';
import type { ChainStore } from '../ChainStore.js';
import { createTokenRegistry } from '../createTokenRegistry.js';
import type { PriceService } from '../prices/createPriceService.js';
import { priceRecord } from '../prices/priceRecord.js';
import type { TradeRecord } from '../tradeRecord.js';
import { assetsOf, buildEvmRecords, type EvmTxInput } from './buildEvmRecords.js';
import { decodeEvmTransaction, walletsTouched } from './decodeEvmTransaction.js';
import { EvmDecodeError } from './EvmDecodeError.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import type { RpcReceipt, RpcTx } from './evmRpcTypes.js';
import { createInternalNativeMeter, type InternalNativeMeter } from './measureInternalNative.js';
import { readErc20Metadata } from './readErc20Metadata.js';

/** A transaction found to touch a followed wallet, with the block it sits in. */
export type RelevantTx = {
  blockNumber: bigint;
  blockHash: string;
  blockTime: Date | null;
  tx: RpcTx & { hash: string; from: string; transactionIndex?: string | null };
};

export type EvmRecordBuilder = {
  /**
   * Fetches receipts (and internal native coin) for these transactions only, and builds their records in chain
   * order. A transaction whose body or receipt cannot be decoded is returned as skipped; a missing receipt is a
   * fault (thrown, retried).
   */
  build(relevant: RelevantTx[], followed: ReadonlySet<string>): Promise<{ records: TradeRecord[]; skipped: SkippedTransaction[] }>;
};

/** What the follower and a backfill share: receipts, internal native coin, token metadata, and records. */
export function createEvmRecordBuilder(deps: {
  chain: ChainConfig;
  store: Pick<ChainStore, 'anyWalletHeld' | 'tokens'>;
  rpc: JsonRpcClient;
  logger: Logger;
  /** Prices native legs at their block; without it only stablecoin legs are priced. */
  prices?: PriceService | undefined;
  /** Measures native coin moved inside calls; default: call traces, else balances, over `rpc`. */
  meter?: InternalNativeMeter;
}): EvmRecordBuilder {
  const { chain, store, rpc, logger } = deps;
  const meter = deps.meter ?? createInternalNativeMeter(rpc, logger);
  const tokens = createTokenRegistry({ store: store.tokens, chain, logger, read: (addresses) => readErc20Metadata(rpc, addresses, chain.multicall3) });

  return {
    async build(relevant, followed) {
      if (relevant.length === 0) return { records: [], skipped: [] };
      const receipts = await rpc.batch<(RpcReceipt & { transactionIndex?: string }) | null>(
        relevant.map((item) => ({ method: 'eth_getTransactionReceipt', params: [item.tx.hash] })),
      );
      const unanswered = relevant.find((_, i) => !receipts[i] || !Array.isArray(receipts[i]!.logs));
      // Note: a node that served the block may lag on its receipts; building without them would lose amounts.
      if (unanswered) throw new RetryableError('The RPC has no receipt yet for a transaction of a fetched block.', { details: unanswered.tx.hash });
      const all: EvmTxInput[] = relevant.map((item, i) => {
        const index = item.tx.transactionIndex ?? receipts[i]!.transactionIndex;
        return {
          position: {
            chain: chain.name,
            blockNumber: item.blockNumber,
            blockHash: item.blockHash,
            blockTime: item.blockTime,
            txHash: item.tx.hash,
            txIndex: index === undefined || index === null ? null : Number(BigInt(index)),
          },
          tx: item.tx,
          receipt: receipts[i]!,
          internalNative: new Map(),
        };
      });
      // Note: one transaction that cannot be decoded must not hold the chain back; it is skipped and kept.
      const skipped: SkippedTransaction[] = [];
      const inputs = all.filter((input) => {
        const reason = undecodable(input);
        if (reason !== null) skipped.push({ txHash: input.position.txHash, blockNumber: input.position.blockNumber, reason });
        return reason === null;
      });
      const internal = await meter.measure(
        inputs.map((input) => ({
          hash: input.position.txHash,
          blockNumber: input.position.blockNumber,
          tx: input.tx,
          receipt: input.receipt,
          wallets: touchedFollowed(input, followed),
        })),
      );
      const assets = new Set<string>();
      for (const input of inputs) for (const asset of assetsOf(input, followed)) assets.add(asset);
      const tokenInfo = await tokens.ensure([...assets]);

      const records: TradeRecord[] = [];
      const heldHere = new Set<string>();
      const unknownAsset = async (_wallet: string, asset: string) => !heldHere.has(asset) && !(await store.anyWalletHeld(chain.name, asset));
      inputs.sort(
        (a, b) => compare(a.position.blockNumber, b.position.blockNumber) || (a.position.txIndex ?? 0) - (b.position.txIndex ?? 0),
      );
      for (const input of inputs) {
        const withInternal = {
          ...input,
          internalNative: internal.moved.get(input.position.txHash) ?? new Map<string, bigint>(),
          unsplitNative: internal.unsplit.get(input.position.txHash),
        };
        for (const built of await buildEvmRecords(chain, withInternal, followed, tokenInfo, unknownAsset)) {
          const record = await priceRecord(deps.prices, chain, built, tokenInfo);
          records.push(record);
          if (!record.isSpam) for (const asset of record.deltas.keys()) heldHere.add(asset);
        }
      }
      return { records, skipped };
    },
  };
}

/** Why a transaction cannot be decoded, or null when it can. */
function undecodable(input: EvmTxInput): string | null {
  try {
    decodeEvmTransaction(input, walletsTouched(input), new Map());
    assetsOf(input, new Set());
    return null;
  } catch (error) {
    if (error instanceof EvmDecodeError) return error.message;
    throw error;
  }
}

function touchedFollowed(input: EvmTxInput, followed: ReadonlySet<string>): string[] {
  const touched = new Set<string>();
  const from = input.tx.from.toLowerCase();
  if (followed.has(from)) touched.add(from);
  const to = input.tx.to?.toLowerCase();
  if (to && followed.has(to)) touched.add(to);
  for (const log of input.receipt.logs) {
    for (const topic of [log.topics[1], log.topics[2]]) {
      const address = topic && topic.length === 66 ? `0x${topic.slice(26)}`.toLowerCase() : undefined;
      if (address && followed.has(address)) touched.add(address);
    }
  }
  return [...touched];
}

function compare(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

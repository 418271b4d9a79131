import type { SolanaChainConfig } from '../../config/chainPresets.js';
import { RetryableError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import type { SkippedTransaction } from '../ChainDriver.js';
import type { ChainStore } from '../ChainStore.js';
import { createTokenRegistry } from '../createTokenRegistry.js';
import { priceRecord } from '../prices/priceRecord.js';
import type { PriceService } from '../prices/createPriceService.js';
import type { TradeRecord } from '../tradeRecord.js';
import { buildSolanaRecords, mintsOf } from './buildSolanaRecords.js';
import type { SignatureInfo, SolanaRpc } from './createSolanaRpc.js';
import { decodeSolanaTransaction, SolanaDecodeError, type DecodedSolanaTransaction } from './decodeSolanaTransaction.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';
import type { SignatureBatch } from './planSignatureBatches.js';
import { readSolanaTokenMetadata } from './readSolanaTokenMetadata.js';
import { SolanaRpcError } from './solanaRpcError.js';

export type BatchReader = {
  /** Fetches, decodes and builds the records of one batch of signatures, skipping what cannot be decoded. */
  read(
    batch: SignatureBatch,
    followed: ReadonlySet<string>,
    options: { skip(signature: string): boolean; learn(decoded: DecodedSolanaTransaction): void },
  ): Promise<{ records: TradeRecord[]; skipped: SkippedTransaction[] }>;
  /** Builds the records of transactions already decoded (read from blocks), in the order given. */
  build(decoded: readonly DecodedSolanaTransaction[], followed: ReadonlySet<string>): Promise<TradeRecord[]>;
};

// A transaction the node listed but cannot return yet is asked for again this many rounds before it is given up.
const MAX_MISSES = 5;

/** Turns batches of Solana signatures into records: transactions, token metadata, prices. */
export function createBatchReader(deps: {
  chain: SolanaChainConfig;
  rpc: SolanaRpc;
  store: Pick<ChainStore, 'anyWalletHeld' | 'tokens'>;
  logger: Logger;
  concurrency: number;
  prices?: PriceService | undefined;
}): BatchReader {
  const { chain, rpc, store, logger } = deps;
  const knownDecimals = new Map<string, number | null>();
  const tokens = createTokenRegistry({ store: store.tokens, chain, logger, read: (mints) => readSolanaTokenMetadata(rpc, mints, knownDecimals) });
  const misses = new Map<string, number>();

  /** The transaction decoded, or why it is skipped (damaged, of an unsupported version, or missing for too long). */
  async function fetchDecoded(info: SignatureInfo): Promise<DecodedSolanaTransaction | { skipped: string }> {
    let result: unknown;
    try {
      result = await rpc.transaction(info.signature);
    } catch (error) {
      if (error instanceof SolanaRpcError && error.code === -32015) return { skipped: `unsupported transaction version: ${error.details ?? error.message}` };
      throw error;
    }
    if (result === null || result === undefined) {
      const count = (misses.get(info.signature) ?? 0) + 1;
      misses.set(info.signature, count);
      if (count < MAX_MISSES) {
        throw new RetryableError('The Solana node listed a transaction it cannot return yet; asking again.', { details: info.signature });
      }
      misses.delete(info.signature);
      return { skipped: `listed but never returned by the node after ${count} attempts` };
    }
    misses.delete(info.signature);
    try {
      return decodeSolanaTransaction(result);
    } catch (error) {
      if (!(error instanceof SolanaDecodeError)) throw error;
      // Note: one damaged transaction must not hold every later one back; its cursor moves past it.
      return { skipped: error.message };
    }
  }

  async function build(decoded: readonly DecodedSolanaTransaction[], followed: ReadonlySet<string>): Promise<TradeRecord[]> {
    const mints = new Set<string>();
    for (const tx of decoded) {
      for (const [mint, decimals] of mintsOf(tx, followed)) {
        mints.add(mint);
        if (decimals !== null) knownDecimals.set(mint, decimals);
      }
    }
    const tokenInfo = await tokens.ensure([...mints]);
    const held = new Set<string>();
    const unknownAsset = async (_wallet: string, asset: string) => !held.has(asset) && !(await store.anyWalletHeld(chain.name, asset));
    const records: TradeRecord[] = [];
    for (const tx of decoded) {
      for (const built of await buildSolanaRecords(chain, tx, followed, tokenInfo, unknownAsset)) {
        const record = await priceRecord(deps.prices, chain, built, tokenInfo);
        records.push(record);
        if (!record.isSpam) for (const asset of record.deltas.keys()) held.add(asset);
      }
    }
    return records;
  }

  return {
    build,
    async read(batch, followed, options) {
      const wanted = batch.signatures.filter((info) => !options.skip(info.signature));
      const fetched = await mapWithConcurrency(wanted, deps.concurrency, async (info) => ({ info, result: await fetchDecoded(info) }));
      const skipped: SkippedTransaction[] = [];
      const decoded: DecodedSolanaTransaction[] = [];
      for (const { info, result } of fetched) {
        if ('skipped' in result) skipped.push({ txHash: info.signature, blockNumber: BigInt(info.slot), reason: result.skipped });
        else decoded.push(result);
      }
      for (const tx of decoded) options.learn(tx);
      const records = await build(decoded, followed);
      return { records, skipped };
    },
  };
}

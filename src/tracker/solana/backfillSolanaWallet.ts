import type { BackfillRange, BackfillResult, SkippedTransaction } from '../ChainDriver.js';
import type { TradeRecord } from '../tradeRecord.js';
import type { BatchReader } from './createBatchReader.js';
import type { SolanaRpc } from './createSolanaRpc.js';
import { findNewSignatures } from './findNewSignatures.js';
import { mapWithConcurrency } from './mapWithConcurrency.js';
import { planSignatureBatches } from './planSignatureBatches.js';

const BATCH_SIZE = 50;

/**
 * Reads a Solana wallet's history: the signatures of the wallet and of each of its token accounts (a plain SPL transfer
 * lists only those), paged back to the start of the range, then their transactions oldest first, built into records
 * for the wallet alone. Nothing is stored here and no cursor moves: the backfiller stores the records without alerts.
 */
export async function backfillSolanaWallet(
  deps: { rpc: Pick<SolanaRpc, 'signatures' | 'slot' | 'tokenAccounts'>; reader: Pick<BatchReader, 'read'>; concurrency: number; now?: () => number },
  wallet: string,
  range: BackfillRange,
): Promise<BackfillResult> {
  const head = BigInt(await deps.rpc.slot());
  const { accounts } = await deps.rpc.tokenAccounts(wallet);
  const addresses = [wallet, ...accounts.map((account) => account.address)];
  const since = 'sinceMs' in range ? new Date((deps.now ?? Date.now)() - range.sinceMs) : null;
  const fromSlot = 'fromBlock' in range ? range.fromBlock : 0n;
  const found = await mapWithConcurrency(addresses, deps.concurrency, async (address) => ({
    address,
    signatures: (await findNewSignatures(deps.rpc, address, { kind: 'history', fromSlot, since })).signatures.filter((info) => BigInt(info.slot) <= head),
  }));

  const followed = new Set([wallet]);
  const records: TradeRecord[] = [];
  const skipped: SkippedTransaction[] = [];
  let transactions = 0;
  let oldest = head;
  for (const batch of planSignatureBatches(found, BATCH_SIZE)) {
    const read = await deps.reader.read(batch, followed, { skip: () => false, learn: () => undefined });
    records.push(...read.records);
    skipped.push(...read.skipped);
    transactions += batch.signatures.length;
    const first = batch.signatures[0];
    if (first && BigInt(first.slot) < oldest) oldest = BigInt(first.slot);
  }
  return { records, skipped, fromBlock: 'fromBlock' in range ? range.fromBlock : oldest, toBlock: head, transactions };
}

import { and, eq, lt } from 'drizzle-orm';
import { loadRoutingData, type OutboxTarget, type RoutableTrade, type RoutingData } from './alertRouting.js';
import { savePrice } from './priceQueries.js';
import { raiseSignals, type SignalDecider } from './signalQueries.js';
import { checkFence, type Fence } from './leaseQueries.js';
import type { Db } from './openDatabase.js';
import { addressCursors, alertOutbox, balanceChanges, chainCursors, recentBlocks, skippedTransactions, trades, transfers } from './schema.js';

export type ProcessedBlock = { number: bigint; hash: string; parentHash: string; timestamp: Date | null };
export type StoredTrade = { id: number; chain: string; txHash: string; wallet: string; kind: string; alerts: number };

/** One followed wallet's part in one transaction, as storage needs it (the tracker's TradeRecord has this shape). */
export type ChainRecordInput = {
  chain: string;
  blockNumber: bigint;
  blockHash: string;
  blockTime: Date | null;
  txHash: string;
  txIndex: number | null;
  wallet: string;
  kind: (typeof trades.$inferInsert)['kind'];
  failed: boolean;
  fee: bigint;
  deltas: ReadonlyMap<string, bigint>;
  base: { asset: string; amount: bigint } | null;
  quote: { asset: string; amount: bigint } | null;
  venue: string | null;
  counterparty: string | null;
  usdValue: string | null;
  priceUsd: string | null;
  isSpam: boolean;
  transfers: readonly { position: number; asset: string; from: string; to: string; amount: bigint }[];
  unsplitNative?: bigint | null;
};

/** A transaction the follower could not decode and moved past. */
export type SkippedTransactionInput = { txHash: string; blockNumber: bigint; reason: string };

/** Decides the outbox rows of one new trade from the routing data loaded for the batch. */
export type AlertRouter = (trade: RoutableTrade, data: RoutingData) => OutboxTarget[];

export type ChainRecordsInput = {
  /** The chain's lease, when several instances share the database: the write is refused once it is lost. */
  fence?: Fence | undefined;
  chain: string;
  records: readonly ChainRecordInput[];
  blocks: readonly ProcessedBlock[];
  /** The chain's new cursor; absent for history read outside the follower (a backfill), which moves no cursor. */
  cursor: { number: bigint; hash: string | null } | null;
  /** How new trades get their alerts; null for history, stored without alerts. */
  route: AlertRouter | null;
  /** How a new buy is checked for its group's multi-wallet signal; absent or null: no signals (history). */
  signal?: SignalDecider | null;
  /** Block hashes older than this many blocks below the cursor are forgotten. */
  keepBlocks: number;
  /** Chains read address by address (Solana): the newest signature processed per address, saved with the records. */
  addressCursors?: readonly { address: string; signature: string; slot: bigint }[];
  /** Transactions that could not be decoded, kept for `lookout explain`; the cursor moves past them. */
  skipped?: readonly SkippedTransactionInput[];
};

/**
 * Stores the records of a run of processed blocks, their alert outbox rows and the chain's new cursor,
 * in one database transaction. Unique keys make storing the same blocks again a no-op: only trades
 * new to the database get outbox rows, so re-processing never repeats an alert.
 */
export async function storeChainRecords(db: Db, input: ChainRecordsInput): Promise<StoredTrade[]> {
  return db.transaction(async (tx) => {
    if (input.fence) await checkFence(tx, input.fence);
    const stored: StoredTrade[] = [];
    const alerting = input.route ? input.records.filter((record) => !record.isSpam && !record.failed) : [];
    const routing = alerting.length > 0 ? await loadRoutingData(tx, alerting) : null;
    for (const record of input.records) {
      const position = {
        chain: record.chain,
        blockNumber: record.blockNumber,
        blockHash: record.blockHash,
        blockTime: record.blockTime,
        txHash: record.txHash,
        txIndex: record.txIndex,
      };
      const [trade] = await tx
        .insert(trades)
        .values({
          ...position,
          wallet: record.wallet,
          kind: record.kind,
          failed: record.failed,
          baseAsset: record.base?.asset ?? null,
          baseAmount: record.base?.amount ?? null,
          quoteAsset: record.quote?.asset ?? null,
          quoteAmount: record.quote?.amount ?? null,
          fee: record.fee,
          venue: record.venue,
          counterparty: record.counterparty,
          usdValue: record.usdValue,
          isSpam: record.isSpam,
          unsplitNative: record.unsplitNative ?? null,
        })
        .onConflictDoNothing()
        .returning({ id: trades.id });
      if (record.deltas.size > 0) {
        await tx
          .insert(balanceChanges)
          .values([...record.deltas].map(([asset, amount]) => ({ ...position, wallet: record.wallet, asset, amount })))
          .onConflictDoNothing();
      }
      if (record.transfers.length > 0) {
        await tx
          .insert(transfers)
          .values(
            record.transfers.map((move) => ({
              ...position,
              position: move.position,
              asset: move.asset,
              fromAddress: move.from,
              toAddress: move.to,
              amount: move.amount,
            })),
          )
          .onConflictDoNothing();
      }
      if (!trade) continue;
      if (record.priceUsd !== null && record.base && !record.isSpam && record.blockTime) {
        // Note: the token's price as this trade shows it, the latest on-chain price for positions.
        await savePrice(tx, {
          chain: record.chain,
          asset: record.base.asset,
          blockNumber: record.blockNumber,
          priceUsd: record.priceUsd,
          source: 'trade',
          observedAt: record.blockTime,
        });
      }
      let alerts = 0;
      if (input.route && routing && !record.isSpam && !record.failed) {
        const targets = input.route({ id: trade.id, chain: record.chain, wallet: record.wallet, kind: record.kind, usdValue: record.usdValue }, routing);
        if (targets.length) {
          await tx.insert(alertOutbox).values(targets).onConflictDoNothing();
          alerts = targets.length;
        }
        if (input.signal) {
          const signalTrade = { id: trade.id, chain: record.chain, wallet: record.wallet, kind: record.kind, baseAsset: record.base?.asset ?? null, blockTime: record.blockTime };
          alerts += await raiseSignals(tx, signalTrade, routing, input.signal);
        }
      }
      stored.push({ id: trade.id, chain: record.chain, txHash: record.txHash, wallet: record.wallet, kind: record.kind, alerts });
    }

    if (input.skipped && input.skipped.length > 0) {
      await tx
        .insert(skippedTransactions)
        .values(input.skipped.map((skip) => ({ chain: input.chain, txHash: skip.txHash, blockNumber: skip.blockNumber, reason: skip.reason })))
        .onConflictDoNothing();
    }
    if (input.cursor && input.blocks.length > 0) {
      for (const block of input.blocks) {
        await tx
          .insert(recentBlocks)
          .values({
            chain: input.chain,
            blockNumber: block.number,
            blockHash: block.hash,
            parentHash: block.parentHash,
            timestamp: block.timestamp,
          })
          .onConflictDoUpdate({
            target: [recentBlocks.chain, recentBlocks.blockNumber],
            set: { blockHash: block.hash, parentHash: block.parentHash, timestamp: block.timestamp },
          });
      }
      await tx
        .delete(recentBlocks)
        .where(and(eq(recentBlocks.chain, input.chain), lt(recentBlocks.blockNumber, input.cursor.number - BigInt(input.keepBlocks))));
    }
    for (const cursor of input.addressCursors ?? []) {
      await tx
        .insert(addressCursors)
        .values({ chain: input.chain, address: cursor.address, lastSignature: cursor.signature, lastSlot: cursor.slot })
        .onConflictDoUpdate({
          target: [addressCursors.chain, addressCursors.address],
          set: { lastSignature: cursor.signature, lastSlot: cursor.slot, updatedAt: new Date() },
        });
    }
    if (input.cursor) {
      const { number, hash } = input.cursor;
      await tx
        .insert(chainCursors)
        .values({ chain: input.chain, blockNumber: number, blockHash: hash, updatedAt: new Date() })
        .onConflictDoUpdate({ target: chainCursors.chain, set: { blockNumber: number, blockHash: hash, updatedAt: new Date() } });
    }
    return stored;
  });
}

import { and, eq, isNull, lt, lte } from 'drizzle-orm';
import { loadRoutingData, type OutboxTarget, type RoutableTrade, type RoutingData } from './alertRouting.js';
import { savePrice } from './priceQueries.js';
import { raiseSignals, type SignalDecider } from './signalQueries.js';
import { checkFence, type Fence } from './leaseQueries.js';
import type { Db, Tx } from './openDatabase.js';
import { retractTrades } from './revertChain.js';
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
  /**
   * Records of a block still being built (Flashblocks): stored and alerted as preconfirmed, with no cursor and no
   * block hashes. Records at or below the stored cursor are left out: the follower has settled that block already.
   */
  preconfirmed?: boolean;
  /** Told which preconfirmed trades the sealed blocks of this write confirmed or retracted. */
  onSettled?: (settled: SettledPreconfirmations) => void;
};

/** What storing sealed blocks did to the preconfirmed trades at or below the new cursor. */
export type SettledPreconfirmations = {
  confirmed: { id: number; txHash: string; wallet: string }[];
  retracted: { id: number; txHash: string; wallet: string }[];
  corrections: number;
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
    let records = input.records;
    if (input.preconfirmed) {
      const [cursor] = await tx.select({ number: chainCursors.blockNumber }).from(chainCursors).where(eq(chainCursors.chain, input.chain));
      if (cursor) records = records.filter((record) => record.blockNumber > cursor.number);
    } else if (input.cursor) {
      const settled = await settlePreconfirmed(tx, input.chain, input.cursor.number, input.records);
      if (settled.confirmed.length + settled.retracted.length > 0) input.onSettled?.(settled);
    }
    const alerting = input.route ? records.filter((record) => !record.isSpam && !record.failed) : [];
    const routing = alerting.length > 0 ? await loadRoutingData(tx, alerting) : null;
    for (const record of records) {
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
          preconfirmed: input.preconfirmed ?? false,
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
      // Note: a price is kept at a sealed block only, where a reorg can find and undo it.
      if (!input.preconfirmed && record.priceUsd !== null && record.base && !record.isSpam && record.blockTime) {
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

/**
 * Settles the preconfirmed trades at or below `upTo` against the sealed records being stored: the same transaction
 * for the same wallet with the same deltas, fee, outcome and kind is confirmed (moved to its sealed block, no new
 * alert: the sealed record then meets the stored trade); any other is retracted, with a correction when its alert
 * may have left, and the sealed record, if there is one, is stored and alerted as new.
 */
async function settlePreconfirmed(tx: Tx, chain: string, upTo: bigint, records: readonly ChainRecordInput[]): Promise<SettledPreconfirmations> {
  const settled: SettledPreconfirmations = { confirmed: [], retracted: [], corrections: 0 };
  const waiting = await tx
    .select()
    .from(trades)
    .where(and(eq(trades.chain, chain), eq(trades.preconfirmed, true), isNull(trades.revertedAt), lte(trades.blockNumber, upTo)));
  if (waiting.length === 0) return settled;
  for (const trade of waiting) {
    const sealed = records.find((record) => record.txHash === trade.txHash && record.wallet === trade.wallet);
    const legs = sealed
      ? await tx
          .select({ asset: balanceChanges.asset, amount: balanceChanges.amount })
          .from(balanceChanges)
          .where(and(eq(balanceChanges.chain, chain), eq(balanceChanges.txHash, trade.txHash), eq(balanceChanges.wallet, trade.wallet)))
      : [];
    const same =
      sealed !== undefined &&
      sealed.kind === trade.kind &&
      sealed.failed === trade.failed &&
      sealed.fee === trade.fee &&
      sealed.isSpam === trade.isSpam &&
      (sealed.unsplitNative ?? null) === trade.unsplitNative &&
      legs.length === sealed.deltas.size &&
      legs.every((leg) => sealed.deltas.get(leg.asset) === leg.amount);
    const ref = { id: trade.id, txHash: trade.txHash, wallet: trade.wallet };
    if (!same || !sealed) {
      settled.retracted.push(ref);
      continue;
    }
    const position = { blockNumber: sealed.blockNumber, blockHash: sealed.blockHash, blockTime: sealed.blockTime, txIndex: sealed.txIndex };
    await tx
      .update(trades)
      .set({ ...position, preconfirmed: false, usdValue: sealed.usdValue ?? trade.usdValue })
      .where(eq(trades.id, trade.id));
    await tx.update(balanceChanges).set(position).where(and(eq(balanceChanges.chain, chain), eq(balanceChanges.txHash, trade.txHash), eq(balanceChanges.wallet, trade.wallet)));
    await tx.update(transfers).set(position).where(and(eq(transfers.chain, chain), eq(transfers.txHash, trade.txHash)));
    settled.confirmed.push(ref);
  }
  settled.corrections = await retractTrades(tx, chain, settled.retracted);
  return settled;
}

import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import { checkFence, type Fence } from './leaseQueries.js';
import type { Db, Tx } from './openDatabase.js';
import { alertOutbox, balanceChanges, chainCursors, prices, recentBlocks, trades, transfers } from './schema.js';
import { withdrawSignals } from './signalQueries.js';

/** What a correction's outbox row keeps of the trade it retracts: its balance changes, raw amounts as strings. */
export type CorrectionPayload = { retracted: { asset: string; amount: string }[] };

export type RevertResult = { revertedTrades: { id: number; txHash: string; wallet: string }[]; corrections: number };

/**
 * Undoes everything stored from blocks above `ancestor` after a reorg, in one transaction: balance
 * changes and transfers go; a trade whose alerts never left is deleted with them; a trade whose alert
 * was sent (or may have been) is kept as reverted and gets a correction to the same destinations, which
 * keeps the legs it retracts (the trade row keeps its USD value and transaction).
 */
export async function revertChain(db: Db, chain: string, ancestor: { number: bigint; hash: string | null }, fence?: Fence): Promise<RevertResult> {
  return db.transaction(async (tx) => {
    if (fence) await checkFence(tx, fence);
    const orphaned = await tx
      .select({ id: trades.id, txHash: trades.txHash, wallet: trades.wallet })
      .from(trades)
      .where(and(eq(trades.chain, chain), gt(trades.blockNumber, ancestor.number), isNull(trades.revertedAt)));
    const corrections = await retractTrades(tx, chain, orphaned);
    await tx.delete(balanceChanges).where(and(eq(balanceChanges.chain, chain), gt(balanceChanges.blockNumber, ancestor.number)));
    await tx.delete(transfers).where(and(eq(transfers.chain, chain), gt(transfers.blockNumber, ancestor.number)));
    await tx.delete(recentBlocks).where(and(eq(recentBlocks.chain, chain), gt(recentBlocks.blockNumber, ancestor.number)));
    // Prices read at orphaned blocks go too (a trade's price, a feed update that may have been reorged away).
    await tx.delete(prices).where(and(eq(prices.chain, chain), gt(prices.blockNumber, ancestor.number)));
    await tx
      .insert(chainCursors)
      .values({ chain, blockNumber: ancestor.number, blockHash: ancestor.hash })
      .onConflictDoUpdate({ target: chainCursors.chain, set: { blockNumber: ancestor.number, blockHash: ancestor.hash, updatedAt: new Date() } });
    return { revertedTrades: orphaned, corrections };
  });
}

/**
 * Takes these trades back, inside the caller's transaction: a trade whose alert was sent (or may have been) is kept
 * as reverted with a correction to the same destinations, carrying the legs it retracts, and its undelivered alerts
 * are cancelled; a trade whose alerts never left is deleted. A multi-wallet signal they leave short of its minimum
 * is withdrawn (withdrawSignals). Their balance changes and transfers go. Returns how many corrections were queued.
 */
export async function retractTrades(tx: Tx, chain: string, retracted: readonly { id: number; txHash: string; wallet: string }[]): Promise<number> {
  if (retracted.length === 0) return 0;
  const ids = retracted.map((trade) => trade.id);
  const delivered = await tx
    .select()
    .from(alertOutbox)
    .where(and(inArray(alertOutbox.tradeId, ids), eq(alertOutbox.kind, 'alert'), inArray(alertOutbox.state, ['sent', 'sending'])));
  // Note: a signal that counted these trades and falls short without them is withdrawn; the trade that raised one
  // that left is kept, as the trade of its correction.
  const signals = await withdrawSignals(tx, chain, ids);
  const alerted = [...new Set(delivered.map((row) => row.tradeId))];
  const keep = new Set([...alerted, ...signals.keep.filter((id) => ids.includes(id))]);
  if (delivered.length > 0) {
    // Note: the balance changes are deleted below; the correction keeps the legs it retracts on its own row.
    const legs = await tx
      .select({ tradeId: trades.id, asset: balanceChanges.asset, amount: balanceChanges.amount })
      .from(balanceChanges)
      .innerJoin(trades, and(eq(trades.chain, balanceChanges.chain), eq(trades.txHash, balanceChanges.txHash), eq(trades.wallet, balanceChanges.wallet)))
      .where(inArray(trades.id, alerted));
    const payloadOf = (tradeId: number): CorrectionPayload => ({
      retracted: legs.filter((leg) => leg.tradeId === tradeId).map((leg) => ({ asset: leg.asset, amount: leg.amount.toString() })),
    });
    await tx
      .insert(alertOutbox)
      .values(
        delivered.map((row) => ({
          tradeId: row.tradeId,
          workspaceId: row.workspaceId,
          destination: row.destination,
          kind: 'correction' as const,
          payload: payloadOf(row.tradeId),
        })),
      )
      .onConflictDoNothing();
  }
  if (keep.size > 0) {
    await tx.update(trades).set({ revertedAt: new Date() }).where(inArray(trades.id, [...keep]));
    await tx
      .update(alertOutbox)
      .set({ state: 'cancelled' })
      .where(and(inArray(alertOutbox.tradeId, [...keep]), eq(alertOutbox.kind, 'alert'), inArray(alertOutbox.state, ['pending', 'failed', 'paused'])));
  }
  const drop = ids.filter((id) => !keep.has(id));
  if (drop.length > 0) await tx.delete(trades).where(inArray(trades.id, drop));
  const legsOf = retracted.map((trade) => and(eq(balanceChanges.txHash, trade.txHash), eq(balanceChanges.wallet, trade.wallet)));
  await tx.delete(balanceChanges).where(and(eq(balanceChanges.chain, chain), or(...legsOf)));
  // Note: transfers are per transaction, not per wallet; records stored after this in the same transaction put back
  // those of a transaction that did land.
  const hashes = [...new Set(retracted.map((trade) => trade.txHash))];
  await tx.delete(transfers).where(and(eq(transfers.chain, chain), inArray(transfers.txHash, hashes)));
  return delivered.length + signals.corrections;
}

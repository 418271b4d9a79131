import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Db } from './openDatabase.js';
import { alertOutbox, balanceChanges, chainCursors, prices, recentBlocks, trades, transfers } from './schema.js';

export type RevertResult = { revertedTrades: { id: number; txHash: string; wallet: string }[]; corrections: number };

/**
 * Undoes everything stored from blocks above `ancestor` after a reorg, in one transaction: balance
 * changes and transfers go; a trade whose alerts never left is deleted with them; a trade whose alert
 * was sent (or may have been) is kept as reverted and gets a correction to the same destinations.
 */
export async function revertChain(db: Db, chain: string, ancestor: { number: bigint; hash: string | null }): Promise<RevertResult> {
  return db.transaction(async (tx) => {
    const orphaned = await tx
      .select({ id: trades.id, txHash: trades.txHash, wallet: trades.wallet })
      .from(trades)
      .where(and(eq(trades.chain, chain), gt(trades.blockNumber, ancestor.number), isNull(trades.revertedAt)));
    let corrections = 0;
    if (orphaned.length > 0) {
      const ids = orphaned.map((trade) => trade.id);
      const delivered = await tx
        .select()
        .from(alertOutbox)
        .where(and(inArray(alertOutbox.tradeId, ids), eq(alertOutbox.kind, 'alert'), inArray(alertOutbox.state, ['sent', 'sending'])));
      const keep = new Set(delivered.map((row) => row.tradeId));
      if (delivered.length > 0) {
        await tx
          .insert(alertOutbox)
          .values(delivered.map((row) => ({ tradeId: row.tradeId, workspaceId: row.workspaceId, destination: row.destination, kind: 'correction' as const })))
          .onConflictDoNothing();
        corrections = delivered.length;
        await tx.update(trades).set({ revertedAt: new Date() }).where(inArray(trades.id, [...keep]));
        await tx
          .update(alertOutbox)
          .set({ state: 'cancelled' })
          .where(and(inArray(alertOutbox.tradeId, [...keep]), eq(alertOutbox.kind, 'alert'), inArray(alertOutbox.state, ['pending', 'failed', 'paused'])));
      }
      const drop = ids.filter((id) => !keep.has(id));
      if (drop.length > 0) await tx.delete(trades).where(inArray(trades.id, drop));
    }
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

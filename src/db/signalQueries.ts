import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { RoutingData } from './alertRouting.js';
import type { Db, Tx } from './openDatabase.js';
import { alertOutbox, groupMembers, groups, trades, walletSignals, wallets } from './schema.js';
import { decimalsKnown, findTokens } from './tokenQueries.js';

/** One stored buy of a group's wallet that a signal may count. */
export type SignalCandidate = { tradeId: number; wallet: string; time: Date; amount: bigint; usd: string | null };

/** The decision the tracker makes on a new buy (`decideSignal`), passed in so that storage stays free of the rule. */
export type SignalDecider = (input: {
  buyTime: Date;
  buys: readonly SignalCandidate[];
  previousStart: Date | null;
  settings: { minWallets: number; windowSeconds: number };
}) => {
  windowStart: Date;
  windowEnd: Date;
  wallets: { wallet: string; tradeIds: number[]; amount: bigint; usd: string | null }[];
} | null;

/** What a signal keeps of the buys it counted: raw amounts as strings, USD as decimal strings (null: unpriced). */
export type SignalPayload = {
  windowSeconds: number;
  wallets: { wallet: string; tradeIds: number[]; amount: string; usd: string | null }[];
};

/** A new buy as storage has it, for the signal check. */
export type SignalTrade = { id: number; chain: string; wallet: string; kind: string; baseAsset: string | null; blockTime: Date | null };

// Note: a trade without a block time counts at the time it was stored.
const tradeTime = sql<Date>`coalesce(${trades.blockTime}, ${trades.createdAt})`;

/**
 * Checks the group routes of a new buy for the multi-wallet signal, inside the storage transaction, and queues
 * each signal raised as one outbox row of kind `signal` per route. Routes without a signal, paused routes
 * (not in `routing`) and workspaces with alerts off raise none; a route's minimum and kinds filter its trade
 * alerts, not its signal. Returns the outbox rows queued.
 */
export async function raiseSignals(tx: Tx, trade: SignalTrade, routing: RoutingData, decide: SignalDecider, now = new Date()): Promise<number> {
  if (trade.kind !== 'buy' || trade.baseAsset === null) return 0;
  const token = trade.baseAsset;
  const buyTime = trade.blockTime ?? now;
  let queued = 0;
  for (const tracker of routing.trackers) {
    if (tracker.chain !== trade.chain || tracker.address !== trade.wallet || !tracker.alertsEnabled) continue;
    for (const route of routing.routes) {
      if (route.workspaceId !== tracker.workspaceId || route.groupId === null) continue;
      if (route.signalMinWallets == null || route.signalWindowSeconds == null) continue;
      if (!routing.memberships.has(`${route.groupId}:${tracker.walletId}`)) continue;
      const settings = { minWallets: route.signalMinWallets, windowSeconds: route.signalWindowSeconds };
      const key = and(
        eq(walletSignals.workspaceId, route.workspaceId),
        eq(walletSignals.destination, route.destination),
        eq(walletSignals.groupId, route.groupId),
        eq(walletSignals.chain, trade.chain),
        eq(walletSignals.token, token),
      );
      const [previous] = await tx.select({ start: walletSignals.windowStart }).from(walletSignals).where(key).orderBy(desc(walletSignals.windowStart)).limit(1);
      const buys = await groupBuys(tx, {
        workspaceId: route.workspaceId,
        groupId: route.groupId,
        chain: trade.chain,
        token,
        from: new Date(buyTime.getTime() - settings.windowSeconds * 1_000),
        to: buyTime,
      });
      const decision = decide({ buyTime, buys, previousStart: previous?.start ?? null, settings });
      if (!decision) continue;
      const payload: SignalPayload = {
        windowSeconds: settings.windowSeconds,
        wallets: decision.wallets.map((wallet) => ({ wallet: wallet.wallet, tradeIds: wallet.tradeIds, amount: wallet.amount.toString(), usd: wallet.usd })),
      };
      const [signal] = await tx
        .insert(walletSignals)
        .values({
          workspaceId: route.workspaceId,
          destination: route.destination,
          groupId: route.groupId,
          chain: trade.chain,
          token,
          windowStart: decision.windowStart,
          windowEnd: decision.windowEnd,
          minWallets: settings.minWallets,
          triggerTradeId: trade.id,
          payload,
        })
        .onConflictDoNothing()
        .returning({ id: walletSignals.id });
      if (!signal) continue;
      await tx
        .insert(alertOutbox)
        .values({ tradeId: trade.id, workspaceId: route.workspaceId, destination: route.destination, kind: 'signal', signalId: signal.id })
        .onConflictDoNothing();
      queued += 1;
    }
  }
  return queued;
}

/** The group's stored buys of a token within [from, to] by block time: not failed, not spam, not undone by a reorg. */
async function groupBuys(
  tx: Tx,
  input: { workspaceId: string; groupId: number; chain: string; token: string; from: Date; to: Date },
): Promise<SignalCandidate[]> {
  const rows = await tx
    .select({ tradeId: trades.id, wallet: trades.wallet, time: tradeTime, amount: trades.baseAmount, usd: trades.usdValue })
    .from(trades)
    .innerJoin(wallets, and(eq(wallets.workspaceId, input.workspaceId), eq(wallets.chain, trades.chain), eq(wallets.address, trades.wallet)))
    .innerJoin(groupMembers, and(eq(groupMembers.walletId, wallets.id), eq(groupMembers.groupId, input.groupId)))
    .where(
      and(
        eq(trades.chain, input.chain),
        eq(trades.kind, 'buy'),
        eq(trades.baseAsset, input.token),
        eq(trades.failed, false),
        eq(trades.isSpam, false),
        isNull(trades.revertedAt),
        // Note: a Date bound into raw SQL is not serialized alike by every driver; an ISO string is.
        sql`${tradeTime} >= ${input.from.toISOString()}::timestamptz`,
        sql`${tradeTime} <= ${input.to.toISOString()}::timestamptz`,
      ),
    );
  return rows.map((row) => ({ tradeId: row.tradeId, wallet: row.wallet, time: new Date(row.time), amount: row.amount ?? 0n, usd: row.usd }));
}

/** A signal as delivery shows it: the group's name, the token's metadata, and each wallet's label in the workspace. */
export type StoredSignal = {
  id: number;
  workspaceId: string;
  groupName: string;
  chain: string;
  token: string;
  symbol: string | null;
  /** Null when the token's decimals are unknown: amounts are shown raw. */
  decimals: number | null;
  windowStart: Date;
  windowEnd: Date;
  minWallets: number;
  windowSeconds: number;
  wallets: { wallet: string; label: string | null; amount: bigint; usd: string | null }[];
};

/** The signals of some outbox rows, by id. */
export async function loadSignals(db: Db, ids: readonly number[]): Promise<Map<number, StoredSignal>> {
  const result = new Map<number, StoredSignal>();
  if (ids.length === 0) return result;
  const rows = await db
    .select({ signal: walletSignals, groupName: groups.name })
    .from(walletSignals)
    .innerJoin(groups, eq(groups.id, walletSignals.groupId))
    .where(inArray(walletSignals.id, [...new Set(ids)]));
  for (const { signal, groupName } of rows) {
    const payload = signal.payload as SignalPayload;
    const addresses = payload.wallets.map((wallet) => wallet.wallet);
    const labels = await db
      .select({ address: wallets.address, label: wallets.label })
      .from(wallets)
      .where(and(eq(wallets.workspaceId, signal.workspaceId), eq(wallets.chain, signal.chain), inArray(wallets.address, addresses)));
    const [token] = await findTokens(db, signal.chain, [signal.token]);
    result.set(signal.id, {
      id: signal.id,
      workspaceId: signal.workspaceId,
      groupName,
      chain: signal.chain,
      token: signal.token,
      symbol: token?.symbol ?? null,
      decimals: token && decimalsKnown(token) ? token.decimals : null,
      windowStart: signal.windowStart,
      windowEnd: signal.windowEnd,
      minWallets: signal.minWallets,
      windowSeconds: payload.windowSeconds,
      wallets: payload.wallets.map((wallet) => ({
        wallet: wallet.wallet,
        label: labels.find((row) => row.address === wallet.wallet)?.label ?? null,
        amount: BigInt(wallet.amount),
        usd: wallet.usd,
      })),
    });
  }
  return result;
}

/** What a signal's withdrawal keeps on its correction row: how many of its wallets still have a buy standing. */
export type SignalWithdrawal = { withdrawn: { remaining: number } };

export function isSignalWithdrawal(value: unknown): value is SignalWithdrawal {
  return typeof (value as SignalWithdrawal | null)?.withdrawn?.remaining === 'number';
}

/**
 * Takes back, inside the caller's transaction and before `retracted` are deleted or marked reverted, the signals
 * that counted any of those trades and no longer reach their minimum without them: one still queued is cancelled;
 * one that left (or may have) gets a correction to the same destination, which says it is withdrawn. Returns the
 * trades that raised a withdrawn signal, which must be kept (as reverted) for the signal to be shown, and how many
 * corrections were queued.
 */
export async function withdrawSignals(tx: Tx, chain: string, retracted: readonly number[]): Promise<{ keep: number[]; corrections: number }> {
  if (retracted.length === 0) return { keep: [], corrections: 0 };
  const gone = new Set(retracted);
  // Note: the ids as one array literal: both drivers bind a text parameter alike.
  const counted = await tx
    .select()
    .from(walletSignals)
    .where(
      and(
        eq(walletSignals.chain, chain),
        sql`exists (select 1 from jsonb_array_elements(${walletSignals.payload}->'wallets') as w(v), jsonb_array_elements(w.v->'tradeIds') as t(v) where (t.v)::bigint = any(${`{${retracted.join(',')}}`}::bigint[]))`,
      ),
    );
  const keep: number[] = [];
  let corrections = 0;
  for (const signal of counted) {
    const payload = signal.payload as SignalPayload;
    const ids = payload.wallets.flatMap((wallet) => wallet.tradeIds).filter((id) => !gone.has(id));
    const standing = new Set(
      ids.length === 0 ? [] : (await tx.select({ id: trades.id }).from(trades).where(and(inArray(trades.id, ids), isNull(trades.revertedAt)))).map((row) => row.id),
    );
    const remaining = payload.wallets.filter((wallet) => wallet.tradeIds.some((id) => standing.has(id))).length;
    if (remaining >= signal.minWallets) continue;
    const ofSignal = and(eq(alertOutbox.signalId, signal.id), eq(alertOutbox.kind, 'signal'));
    await tx
      .update(alertOutbox)
      .set({ state: 'cancelled', lastError: 'a buy this signal counted was undone' })
      .where(and(ofSignal, inArray(alertOutbox.state, ['pending', 'failed', 'paused'])));
    const left = await tx.select().from(alertOutbox).where(and(ofSignal, inArray(alertOutbox.state, ['sent', 'sending'])));
    if (left.length === 0) continue;
    const withdrawal: SignalWithdrawal = { withdrawn: { remaining } };
    const queuedCorrections = await tx
      .insert(alertOutbox)
      .values(left.map((row) => ({ tradeId: signal.triggerTradeId, workspaceId: row.workspaceId, destination: row.destination, kind: 'correction' as const, signalId: signal.id, payload: withdrawal })))
      .onConflictDoNothing()
      .returning({ id: alertOutbox.id });
    corrections += queuedCorrections.length;
    keep.push(signal.triggerTradeId);
  }
  return { keep, corrections };
}

/** Cancels queued signal rows that must not go out (the buy that raised them was undone by a reorg). */
export async function cancelSignalRows(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(alertOutbox)
    .set({ state: 'cancelled', lastError: 'the buy that raised this signal was undone by a reorg' })
    .where(and(inArray(alertOutbox.id, [...ids]), eq(alertOutbox.kind, 'signal')));
}

import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { dueBy } from './dueBy.js';
import type { Db } from './openDatabase.js';
import { alertOutbox, balanceChanges, tokens, trades, wallets } from './schema.js';
import type { CorrectionPayload } from './revertChain.js';
import { decimalsKnown, findTokens } from './tokenQueries.js';

export type OutboxRow = typeof alertOutbox.$inferSelect;
export type AlertTrade = typeof trades.$inferSelect & {
  label: string | null;
  changes: { asset: string; amount: bigint; symbol: string | null; decimals: number | null }[];
};

/** The alerts one worker serves: destinations starting with `prefix`, optionally of one workspace only. */
export type OutboxScope = { prefix: string; workspaceId?: string };

function inScope(scope: OutboxScope) {
  const destination = sql`${alertOutbox.destination} like ${`${scope.prefix}%`}`;
  return scope.workspaceId === undefined ? destination : and(destination, eq(alertOutbox.workspaceId, scope.workspaceId));
}

/**
 * How an instance claims outbox rows when several share one Postgres: `by` is `<instance>#<process token>`, and a
 * claim holds for `leaseMs` unless renewed with `extendClaims`.
 */
export type OutboxClaim = { by: string; leaseMs: number };

const leaseFrom = (claim: OutboxClaim) => sql`now() + ${`${Math.max(1, Math.round(claim.leaseMs))} milliseconds`}::interval`;

/**
 * Claims due alerts in a scope, oldest first, marking them `sending` with no attempt yet, under `claim` when given.
 * Note: a crash between a platform's answer and `markSent` is the only window in which an alert can repeat.
 */
export async function claimDueAlerts(db: Db, scope: OutboxScope, limit: number, now = new Date(), claim?: OutboxClaim): Promise<OutboxRow[]> {
  const due = db
    .select({ id: alertOutbox.id })
    .from(alertOutbox)
    .where(and(eq(alertOutbox.state, 'pending'), dueBy(alertOutbox.nextAttemptAt, now), inScope(scope)))
    .orderBy(asc(alertOutbox.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(alertOutbox)
    .set({
      state: 'sending',
      attempts: sql`${alertOutbox.attempts} + 1`,
      attemptedAt: null,
      claimedBy: claim?.by ?? null,
      leaseUntil: claim ? leaseFrom(claim) : null,
    })
    .where(inArray(alertOutbox.id, due))
    .returning()
    .then((rows) => rows.sort((a, b) => a.id - b.id));
}

/** Keeps this instance's claims on the alerts it is delivering from expiring. */
export async function extendClaims(db: Db, claim: OutboxClaim): Promise<void> {
  await db
    .update(alertOutbox)
    .set({ leaseUntil: leaseFrom(claim) })
    .where(and(eq(alertOutbox.state, 'sending'), eq(alertOutbox.claimedBy, claim.by)));
}

/** Alerts a process that died left `sending`: `inFlight` had been handed to the platform, `requeued` had not. */
export type Interrupted = { inFlight: number; requeued: number };

/**
 * Puts alerts left `sending` by a process that died back in the queue; they were due, and the queue is
 * oldest first, so they go out before anything newer. Those never attempted come back untouched; those in flight keep their attempt, so
 * that their resend is recognisable. Under a claim, only rows whose claim expired, or that an earlier process of
 * the same instance claimed, are taken: another live instance's alerts in flight are left to it.
 */
export async function requeueInterrupted(db: Db, scope: OutboxScope, claim?: OutboxClaim): Promise<Interrupted> {
  // Note: `<instance>#<token>` with a token of fixed length; `left(x, -n)` drops the last n characters.
  const tail = claim ? claim.by.length - claim.by.lastIndexOf('#') : 0;
  const abandoned = claim
    ? sql`(${alertOutbox.leaseUntil} is null or ${alertOutbox.leaseUntil} < now() or (left(${alertOutbox.claimedBy}, ${-tail}::int) = ${claim.by.slice(0, -tail)} and ${alertOutbox.claimedBy} <> ${claim.by}))`
    : sql`true`;
  const inFlight = await db
    .update(alertOutbox)
    .set({ state: 'pending', claimedBy: null, leaseUntil: null })
    .where(and(eq(alertOutbox.state, 'sending'), isNotNull(alertOutbox.attemptedAt), inScope(scope), abandoned))
    .returning({ id: alertOutbox.id });
  const requeued = await db
    .update(alertOutbox)
    .set({ state: 'pending', attempts: sql`greatest(${alertOutbox.attempts} - 1, 0)`, claimedBy: null, leaseUntil: null })
    .where(and(eq(alertOutbox.state, 'sending'), isNull(alertOutbox.attemptedAt), inScope(scope), abandoned))
    .returning({ id: alertOutbox.id });
  return { inFlight: inFlight.length, requeued: requeued.length };
}

/** Records that a message carrying these alerts is about to go to the platform. */
/**
 * Rows this process still holds: under a claim, claimed by it and `sending`. Note: once a claim expired and another
 * instance took the row over, a process that was paused past its lease must neither send it nor settle it.
 */
function held(ids: number[], claim: OutboxClaim | undefined) {
  return claim ? and(inArray(alertOutbox.id, ids), eq(alertOutbox.claimedBy, claim.by), eq(alertOutbox.state, 'sending')) : inArray(alertOutbox.id, ids);
}

/**
 * Marks claimed alerts as handed to the platform, just before the send; returns the ids marked. Under a claim, only
 * rows whose claim still has at least a third of its lease to run are marked, so that a process paused past its
 * lease does not send what another instance has taken over: a send goes ahead only when every row was marked.
 */
export async function markAttempted(db: Db, ids: number[], at = new Date(), claim?: OutboxClaim): Promise<number[]> {
  if (ids.length === 0) return [];
  const margin = claim ? sql`${alertOutbox.leaseUntil} > now() + ${`${Math.max(1, Math.round(claim.leaseMs / 3))} milliseconds`}::interval` : undefined;
  const marked = await db
    .update(alertOutbox)
    .set({ attemptedAt: at })
    .where(and(held(ids, claim), margin))
    .returning({ id: alertOutbox.id });
  return marked.map((row) => row.id);
}

/** Marks alerts delivered, in one commit, with the id of the message that carried them when the platform gave one. */
export async function markSent(db: Db, ids: number[], messageId: string | null = null, at = new Date(), claim?: OutboxClaim): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(alertOutbox)
    .set({ state: 'sent', deliveredAt: at, lastError: null, platformMessageId: messageId })
    .where(held(ids, claim));
}

export async function markRetry(db: Db, ids: number[], nextAttemptAt: Date, error: string, claim?: OutboxClaim): Promise<void> {
  if (ids.length === 0) return;
  await db.update(alertOutbox).set({ state: 'pending', nextAttemptAt, lastError: error }).where(held(ids, claim));
}

/**
 * Gives claimed alerts that were never handed to the platform back to the queue untouched: the claim's
 * attempt is taken back, and they are due at `nextAttemptAt` (their old time when not given).
 */
export async function releaseUnattempted(db: Db, ids: number[], nextAttemptAt?: Date, claim?: OutboxClaim): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(alertOutbox)
    .set({ state: 'pending', attempts: sql`greatest(${alertOutbox.attempts} - 1, 0)`, ...(nextAttemptAt ? { nextAttemptAt } : {}) })
    .where(and(held(ids, claim), eq(alertOutbox.state, 'sending')));
}

/** The trades behind some alerts, with their balance changes, token metadata and each workspace's label. */
export async function loadAlertTrades(db: Db, rows: Pick<OutboxRow, 'tradeId' | 'workspaceId'>[]): Promise<Map<string, AlertTrade>> {
  const ids = [...new Set(rows.map((row) => row.tradeId))];
  if (ids.length === 0) return new Map();
  const tradeRows = await db.select().from(trades).where(inArray(trades.id, ids));
  const changes = await db
    .select({
      change: balanceChanges,
      symbol: tokens.symbol,
      decimals: tokens.decimals,
      decimalsKnown: tokens.decimalsKnown,
      metadataFallback: tokens.metadataFallback,
      metadataCheckedAt: tokens.metadataCheckedAt,
    })
    .from(balanceChanges)
    .innerJoin(trades, and(eq(trades.chain, balanceChanges.chain), eq(trades.txHash, balanceChanges.txHash), eq(trades.wallet, balanceChanges.wallet)))
    .leftJoin(tokens, and(eq(tokens.chain, balanceChanges.chain), eq(tokens.address, balanceChanges.asset)))
    .where(inArray(trades.id, ids))
    .orderBy(asc(balanceChanges.asset));
  const retracted = await retractedLegs(db, tradeRows.filter((trade) => trade.revertedAt !== null));
  const workspaceIds = [...new Set(rows.map((row) => row.workspaceId))];
  const labels = await db
    .select({ workspaceId: wallets.workspaceId, chain: wallets.chain, address: wallets.address, label: wallets.label })
    .from(wallets)
    .where(inArray(wallets.workspaceId, workspaceIds));
  const result = new Map<string, AlertTrade>();
  for (const row of rows) {
    const trade = tradeRows.find((candidate) => candidate.id === row.tradeId);
    if (!trade) continue;
    const label = labels.find((l) => l.workspaceId === row.workspaceId && l.chain === trade.chain && l.address === trade.wallet);
    const stored = changes
      .filter((c) => c.change.chain === trade.chain && c.change.txHash === trade.txHash && c.change.wallet === trade.wallet)
      .map((c) => ({
        asset: c.change.asset,
        amount: c.change.amount,
        symbol: c.symbol,
        // Note: a token without readable decimals is shown in raw units rather than with guessed ones.
        decimals: c.decimals !== null && c.decimalsKnown !== null && decimalsKnown({ ...c, decimalsKnown: c.decimalsKnown, metadataFallback: c.metadataFallback ?? false }) ? c.decimals : null,
      }));
    result.set(`${row.tradeId}|${row.workspaceId}`, {
      ...trade,
      label: label?.label ?? null,
      // Note: a reverted trade's balance changes are gone; its correction kept them.
      changes: stored.length === 0 ? (retracted.get(trade.id) ?? []) : stored,
    });
  }
  return result;
}

/** The legs that the corrections of reverted trades kept, with the tokens' symbols and decimals. */
async function retractedLegs(db: Db, reverted: (typeof trades.$inferSelect)[]): Promise<Map<number, AlertTrade['changes']>> {
  const result = new Map<number, AlertTrade['changes']>();
  if (reverted.length === 0) return result;
  const rows = await db
    .select({ tradeId: alertOutbox.tradeId, payload: alertOutbox.payload })
    .from(alertOutbox)
    .where(and(inArray(alertOutbox.tradeId, reverted.map((trade) => trade.id)), eq(alertOutbox.kind, 'correction')));
  for (const trade of reverted) {
    const payload = rows.find((row) => row.tradeId === trade.id && isCorrectionPayload(row.payload))?.payload as CorrectionPayload | undefined;
    if (!payload) continue;
    const known = await findTokens(db, trade.chain, payload.retracted.map((leg) => leg.asset));
    result.set(
      trade.id,
      payload.retracted
        .map((leg) => {
          const token = known.find((candidate) => candidate.address === leg.asset);
          return { asset: leg.asset, amount: BigInt(leg.amount), symbol: token?.symbol ?? null, decimals: token && decimalsKnown(token) ? token.decimals : null };
        })
        .sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0)),
    );
  }
  return result;
}

function isCorrectionPayload(value: unknown): value is CorrectionPayload {
  return typeof value === 'object' && value !== null && Array.isArray((value as CorrectionPayload).retracted);
}

/** When a destination last received an alert, so pacing survives a restart. */
export async function lastDeliveredAt(db: Db, destination: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`max(${alertOutbox.deliveredAt})` })
    .from(alertOutbox)
    .where(eq(alertOutbox.destination, destination));
  return row?.at ? new Date(row.at) : null;
}

/** How many alerts each instance is delivering right now (`sending` under a live claim), for `lookout status`. */
export async function listOutboxClaims(db: Db): Promise<{ by: string; alerts: number }[]> {
  const rows = await db
    .select({ by: alertOutbox.claimedBy, alerts: sql<number>`count(*)::int` })
    .from(alertOutbox)
    .where(and(eq(alertOutbox.state, 'sending'), isNotNull(alertOutbox.claimedBy), sql`${alertOutbox.leaseUntil} > now()`))
    .groupBy(alertOutbox.claimedBy);
  return rows.map((row) => ({ by: row.by!, alerts: Number(row.alerts) }));
}

import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from './openDatabase.js';
import { alertOutbox, alertRoutes } from './schema.js';

/** A destination that refuses alerts for now, and why: told to the next admin who runs a command. */
export type PausedDestination = { destination: string; reason: string };

/**
 * Pauses a destination that refuses alerts for good (a chat that removed or blocked the bot, a deleted
 * channel, a missing permission): its routes take no new alerts and its queued alerts wait, instead of
 * being retried forever. The one pause model of every platform.
 */
export async function pauseDestination(db: Db, destination: string, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(alertRoutes).set({ pausedAt: new Date(), pausedReason: reason }).where(eq(alertRoutes.destination, destination));
    await tx
      .update(alertOutbox)
      .set({ state: 'paused', lastError: reason })
      .where(and(eq(alertOutbox.destination, destination), inArray(alertOutbox.state, ['pending', 'sending'])));
  });
}

/** The paused destinations of a workspace: those with a paused route, and those with paused alerts (a chat without routes). */
export async function pausedDestinations(db: Db, workspaceId: string): Promise<PausedDestination[]> {
  const routes = await db
    .select({ destination: alertRoutes.destination, reason: alertRoutes.pausedReason })
    .from(alertRoutes)
    .where(and(eq(alertRoutes.workspaceId, workspaceId), isNotNull(alertRoutes.pausedAt)))
    .orderBy(asc(alertRoutes.id));
  const alerts = await db
    .selectDistinctOn([alertOutbox.destination], { destination: alertOutbox.destination, reason: alertOutbox.lastError })
    .from(alertOutbox)
    .where(and(eq(alertOutbox.workspaceId, workspaceId), eq(alertOutbox.state, 'paused')))
    .orderBy(asc(alertOutbox.destination), asc(alertOutbox.id));
  const paused = new Map<string, string>();
  for (const row of [...routes, ...alerts]) if (!paused.has(row.destination)) paused.set(row.destination, row.reason ?? 'paused');
  return [...paused].map(([destination, reason]) => ({ destination, reason }));
}

/**
 * Resumes a destination (the chat took the bot back, the admin fixed the channel): its routes take alerts
 * again and its paused alerts are queued, within one workspace when given. Answers how many alerts were queued.
 */
export async function resumeDestination(db: Db, destination: string, workspaceId?: string): Promise<number> {
  return db.transaction(async (tx) => {
    const routeScope = workspaceId === undefined ? undefined : eq(alertRoutes.workspaceId, workspaceId);
    await tx
      .update(alertRoutes)
      .set({ pausedAt: null, pausedReason: null })
      .where(and(eq(alertRoutes.destination, destination), isNotNull(alertRoutes.pausedAt), routeScope));
    const alertScope = workspaceId === undefined ? undefined : eq(alertOutbox.workspaceId, workspaceId);
    const resumed = await tx
      .update(alertOutbox)
      .set({ state: 'pending', nextAttemptAt: new Date(), lastError: null })
      .where(and(eq(alertOutbox.destination, destination), eq(alertOutbox.state, 'paused'), alertScope))
      .returning({ id: alertOutbox.id });
    return resumed.length;
  });
}

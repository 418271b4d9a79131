import { and, asc, eq, sql } from 'drizzle-orm';
import { appendAudit } from './auditLog.js';
import { DbNotFound } from './DbError.js';
import type { Db } from './openDatabase.js';
import { alertRoutes, groups, webhookEndpoints } from './schema.js';
import { saveWebhookEndpoint } from './webhookQueries.js';
import { resumeDestination } from './pauseQueries.js';
import { lockWorkspace } from './workspaceQueries.js';

export type AlertRoute = typeof alertRoutes.$inferSelect & {
  groupName: string | null;
  /** Where a `webhook:` route posts; null for other destinations. The secret is never read back. */
  webhookUrl?: string | null;
};

/**
 * Adds or replaces the route of a destination (for one group, or all wallets). With `webhook`, the destination
 * is that URL's `webhook:<id>`, made or given the new secret in the same commit.
 */
export async function saveAlertRoute(
  db: Db,
  input: {
    workspaceId: string;
    actor: string;
    destination: string;
    groupId: number | null;
    minUsd: string | null;
    types: string[] | null;
    /** The multi-wallet signal of a group route; null or absent when off. */
    signal?: { minWallets: number; windowSeconds: number } | null;
    webhook?: { url: string; secret: string } | undefined;
  },
): Promise<AlertRoute> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    if (input.webhook) {
      const endpoint = await saveWebhookEndpoint(tx, { workspaceId: input.workspaceId, actor: input.actor, ...input.webhook });
      input = { ...input, destination: endpoint.destination };
    }
    await tx
      .delete(alertRoutes)
      .where(
        and(
          eq(alertRoutes.workspaceId, input.workspaceId),
          eq(alertRoutes.destination, input.destination),
          sql`coalesce(${alertRoutes.groupId}, 0) = ${input.groupId ?? 0}`,
        ),
      );
    const [route] = await tx
      .insert(alertRoutes)
      .values({
        workspaceId: input.workspaceId,
        destination: input.destination,
        groupId: input.groupId,
        minUsd: input.minUsd,
        types: input.types,
        signalMinWallets: input.signal?.minWallets ?? null,
        signalWindowSeconds: input.signal?.windowSeconds ?? null,
        createdBy: input.actor,
      })
      .returning();
    await appendAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'alert_route',
      details: { destination: input.destination, groupId: input.groupId, minUsd: input.minUsd, types: input.types, signal: input.signal },
    });
    return { ...route!, groupName: null, webhookUrl: input.webhook?.url ?? null };
  });
}

/** The workspace's routes, oldest first, with their group names. */
export async function listAlertRoutes(db: Db, workspaceId: string): Promise<AlertRoute[]> {
  const rows = await db
    .select({ route: alertRoutes, groupName: groups.name, webhookUrl: webhookEndpoints.url })
    .from(alertRoutes)
    .leftJoin(groups, eq(groups.id, alertRoutes.groupId))
    .leftJoin(webhookEndpoints, sql`${alertRoutes.destination} = 'webhook:' || ${webhookEndpoints.id}`)
    .where(eq(alertRoutes.workspaceId, workspaceId))
    .orderBy(asc(alertRoutes.id));
  return rows.map((row) => ({ ...row.route, groupName: row.groupName, webhookUrl: row.webhookUrl }));
}

/** Removes a route by its number in the workspace's list. */
export async function removeAlertRoute(db: Db, input: { workspaceId: string; actor: string; routeId: number }): Promise<AlertRoute> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    const [route] = await tx
      .delete(alertRoutes)
      .where(and(eq(alertRoutes.workspaceId, input.workspaceId), eq(alertRoutes.id, input.routeId)))
      .returning();
    if (!route) throw new DbNotFound({ entity: 'alert_route', id: input.routeId });
    await appendAudit(tx, { workspaceId: input.workspaceId, actor: input.actor, action: 'alert_route_remove', details: { routeId: input.routeId } });
    return { ...route, groupName: null };
  });
}

/**
 * Resumes the destination of a route an admin just saved, with its other routes and its paused alerts:
 * saving a route to it is how the admin says it works again.
 * Note: saving replaces the route row, so the new row is never paused itself; its destination may be.
 */
export async function resumeRoute(db: Db, workspaceId: string, routeId: number): Promise<void> {
  const [route] = await db
    .select({ destination: alertRoutes.destination })
    .from(alertRoutes)
    .where(and(eq(alertRoutes.workspaceId, workspaceId), eq(alertRoutes.id, routeId)));
  if (route) await resumeDestination(db, route.destination, workspaceId);
}

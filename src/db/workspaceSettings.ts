import { eq } from 'drizzle-orm';
import { appendAudit } from './auditLog.js';
import type { Db } from './openDatabase.js';
import { workspaces } from './schema.js';
import { lockWorkspace } from './workspaceQueries.js';

export type WorkspaceSettings = Pick<
  typeof workspaces.$inferSelect,
  'alertsEnabled' | 'alertsMinUsd' | 'alertsTypes' | 'pnlMethod' | 'feesInBasis'
>;

export async function getWorkspaceSettings(db: Db, workspaceId: string): Promise<WorkspaceSettings> {
  const [row] = await db
    .select({
      alertsEnabled: workspaces.alertsEnabled,
      alertsMinUsd: workspaces.alertsMinUsd,
      alertsTypes: workspaces.alertsTypes,
      pnlMethod: workspaces.pnlMethod,
      feesInBasis: workspaces.feesInBasis,
    })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return row ?? { alertsEnabled: true, alertsMinUsd: null, alertsTypes: null, pnlMethod: 'fifo', feesInBasis: false };
}

/** Changes a workspace's settings and records who did it, in one transaction. */
export async function updateWorkspaceSettings(
  db: Db,
  input: { workspaceId: string; actor: string; changes: Partial<WorkspaceSettings> },
): Promise<WorkspaceSettings> {
  return db.transaction(async (tx) => {
    await lockWorkspace(tx, input.workspaceId);
    await tx.update(workspaces).set(input.changes).where(eq(workspaces.id, input.workspaceId));
    await appendAudit(tx, { workspaceId: input.workspaceId, actor: input.actor, action: 'settings', details: { ...input.changes } });
    const [row] = await tx.select().from(workspaces).where(eq(workspaces.id, input.workspaceId));
    return row!;
  });
}

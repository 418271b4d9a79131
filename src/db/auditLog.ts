import { auditLog } from './schema.js';
import type { Db, Tx } from './openDatabase.js';

export type AuditEntry = { workspaceId: string; actor: string; action: string; details: Record<string, unknown> };

/** Appends one entry to the audit log, in the same transaction as the change it records. */
export async function appendAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

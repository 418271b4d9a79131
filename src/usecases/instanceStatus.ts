import { listOutboxClaims } from '../db/alertQueries.js';
import { listLeases, type LeaseRow } from '../db/leaseQueries.js';
import type { Db } from '../db/openDatabase.js';

export type InstanceStatus = { leases: LeaseRow[]; claims: { by: string; alerts: number }[] };

/** Which instance follows each chain, holds each chat connection and runs the schedules, and what each is delivering. */
export async function instanceStatus(deps: { db: Db }): Promise<InstanceStatus> {
  const [leases, claims] = await Promise.all([listLeases(deps.db), listOutboxClaims(deps.db)]);
  return { leases, claims };
}

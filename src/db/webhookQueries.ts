import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from './openDatabase.js';
import { webhookEndpoints } from './schema.js';

/** Where one `webhook:<id>` destination posts, and the secret that signs its POSTs. */
export type WebhookEndpoint = { id: string; destination: string; workspaceId: string; url: string; secret: string };

/** The destination of a webhook endpoint, as alert_routes and alert_outbox name it. */
export function webhookDestination(id: string): string {
  return `webhook:${id}`;
}

/**
 * Makes the endpoint of a URL in a workspace, or gives the existing one the new secret and a clean record of
 * rejections: routing to a URL again is how an admin says it works again.
 */
export async function saveWebhookEndpoint(
  tx: Tx,
  input: { workspaceId: string; actor: string; url: string; secret: string },
): Promise<WebhookEndpoint> {
  const [row] = await tx
    .insert(webhookEndpoints)
    .values({ id: randomBytes(6).toString('hex'), workspaceId: input.workspaceId, url: input.url, secret: input.secret, createdBy: input.actor })
    .onConflictDoUpdate({ target: [webhookEndpoints.workspaceId, webhookEndpoints.url], set: { secret: input.secret, rejections: 0 } })
    .returning();
  return { ...row!, destination: webhookDestination(row!.id) };
}

/** The endpoint behind a `webhook:<id>` destination, or undefined when it was removed. */
export async function loadWebhookEndpoint(db: Db, destination: string): Promise<WebhookEndpoint | undefined> {
  const id = destination.replace(/^webhook:/, '');
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row && { ...row, destination };
}

/** Counts one more refusal (a 4xx) in a row; answers how many there have been since the last success. */
export async function countWebhookRejection(db: Db, id: string): Promise<number> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ rejections: sql`${webhookEndpoints.rejections} + 1` })
    .where(eq(webhookEndpoints.id, id))
    .returning({ rejections: webhookEndpoints.rejections });
  return row?.rejections ?? 0;
}

/** A success ends the run of refusals. */
export async function clearWebhookRejections(db: Db, id: string): Promise<void> {
  await db
    .update(webhookEndpoints)
    .set({ rejections: 0 })
    .where(and(eq(webhookEndpoints.id, id), sql`${webhookEndpoints.rejections} <> 0`));
}

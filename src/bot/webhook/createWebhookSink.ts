import { readFileSync } from 'node:fs';
import type { Db } from '../../db/openDatabase.js';
import { clearWebhookRejections, countWebhookRejection, loadWebhookEndpoint } from '../../db/webhookQueries.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { alertJson, type AlertView } from '../alerts/alertView.js';
import { oneByOne, type DeliveryResult } from '../delivery/createOutboxWorker.js';
import type { Sink } from '../delivery/Sink.js';
import type { OutboxRow } from '../../db/alertQueries.js';
import { postWebhook, retryAfterMs, WebhookTimeout, type WebhookAnswer } from './postWebhook.js';
import { signWebhook } from './signWebhook.js';
import { webhookName } from '../../usecases/webhookName.js';

/** How many refusals (4xx other than 408 and 429) in a row pause a webhook. */
export const WEBHOOK_REJECTIONS_TO_PAUSE = 5;
const TIMEOUT_MS = 10_000;
/** The longest `Retry-After` honoured; a longer one waits this long and asks again. */
const MAX_RETRY_AFTER_MS = 6 * 3_600_000;
const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The body of a webhook POST: the `lookout run --json` object of the alert, with its id and workspace. */
export function webhookPayload(alert: AlertView, row: Pick<OutboxRow, 'id' | 'workspaceId'>): Record<string, unknown> {
  return { id: String(row.id), workspace: row.workspaceId, ...alertJson(alert) };
}

/**
 * Posts each alert of the `webhook:` destinations, one JSON object per POST, signed with the route's secret.
 * A 2xx is delivered; 5xx, 408, timeouts and network faults are retried with backoff, 429 after its
 * `Retry-After`; a run of other 4xx answers pauses the destination until an admin routes to it again.
 */
export function createWebhookSink(deps: { db: Db; allowPrivate: boolean; timeoutMs?: number }): Sink {
  const { db } = deps;
  return {
    name: 'webhook',
    scope: { prefix: 'webhook:' },
    deliverGroup: oneByOne(async (alert, row) => {
      const endpoint = await loadWebhookEndpoint(db, row.destination);
      if (!endpoint) return { status: 'paused', reason: 'the webhook of this route was removed; route alerts to a webhook again to resume' };
      const body = JSON.stringify(webhookPayload(alert, row));
      const headers = {
        'content-type': 'application/json',
        'user-agent': `Lookout/${VERSION}`,
        'lookout-event-id': String(row.id),
        'lookout-signature': signWebhook(endpoint.secret, body, Math.floor(Date.now() / 1000)),
      };
      let answer: WebhookAnswer;
      try {
        answer = await postWebhook(new URL(endpoint.url), body, { headers, timeoutMs: deps.timeoutMs ?? TIMEOUT_MS, allowPrivate: deps.allowPrivate });
      } catch (error) {
        if (error instanceof UserInputError) return { status: 'paused', reason: `${error.message} Route alerts to a public URL to resume.` };
        const reason = error instanceof WebhookTimeout ? 'did not answer in time' : 'could not be reached';
        return { status: 'retry', error: `the webhook ${reason}`, cause: error };
      }
      return judge(answer, endpoint);
    }),
  };

  async function judge(answer: WebhookAnswer, endpoint: { id: string; url: string }): Promise<DeliveryResult> {
    const { status } = answer;
    const said = `${status}${answer.statusText ? ` ${answer.statusText}` : ''}`;
    if (status >= 200 && status < 300) {
      await clearWebhookRejections(db, endpoint.id);
      return { status: 'sent' };
    }
    const waitMs = retryAfterMs(answer.retryAfter);
    const afterMs = waitMs === undefined ? undefined : Math.min(waitMs, MAX_RETRY_AFTER_MS);
    if (status === 429 || status === 408 || status >= 500) return { status: 'retry', error: `the webhook answered ${said}`, ...(afterMs === undefined ? {} : { afterMs }) };
    const rejections = await countWebhookRejection(db, endpoint.id);
    if (rejections >= WEBHOOK_REJECTIONS_TO_PAUSE) {
      return {
        status: 'paused',
        reason: `the webhook answered ${said} ${rejections} times in a row; fix it, then route alerts to ${webhookName(endpoint.url)} again to resume`,
      };
    }
    return { status: 'retry', error: `the webhook answered ${said}` };
  }
}

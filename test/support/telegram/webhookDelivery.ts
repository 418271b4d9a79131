import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

import type { UpdateQueue } from './updateQueue.js';

/** A webhook as set by setWebhook, with the token that set it. */
export type WebhookSettings = {
  url: string;
  token: string;
  secretToken?: string;
  maxConnections?: number;
};

/** Posts pending updates to the webhook one at a time, in order, until each is answered with 2xx. */
export type WebhookDelivery = {
  set(settings: WebhookSettings | null): void;
  current(): WebhookSettings | null;
  /** Starts delivering if there is a webhook and something to deliver. */
  kick(): void;
  close(): void;
};

/** Dependencies of createWebhookDelivery. */
export type WebhookDeliveryDeps = {
  queue: UpdateQueue;
  retryDelayMs: number;
  /** Runs a method the bot put in its webhook answer (a "webhook reply"). */
  runReply(token: string, call: Record<string, unknown>): Promise<void>;
};

/** Creates the delivery loop; it is idle until a webhook is set. */
export function createWebhookDelivery({ queue, retryDelayMs, runReply }: WebhookDeliveryDeps): WebhookDelivery {
  let settings: WebhookSettings | null = null;
  let running = false;
  let closed = false;
  const stopping = new AbortController();

  const deliverAll = async (): Promise<void> => {
    while (!closed && settings !== null) {
      const update = queue.next();
      if (update === undefined) return;
      const target = settings;
      try {
        const answer = await postJson(target, JSON.stringify(update), stopping.signal);
        if (answer.status < 200 || answer.status > 299) throw new Error(`Wrong response from the webhook: ${answer.status}`);
        queue.confirm(update.update_id + 1);
        const reply = parseReply(answer.body);
        if (reply !== undefined) await runReply(target.token, reply).catch(() => undefined);
      } catch {
        if (closed) return;
        await sleep(retryDelayMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  };

  return {
    set(next) {
      settings = next;
    },
    current: () => settings,
    kick() {
      if (running || closed || settings === null) return;
      running = true;
      void deliverAll().finally(() => {
        running = false;
        // An update may have arrived between the last look and the loop ending.
        if (!closed && settings !== null && queue.next() !== undefined) this.kick();
      });
    },
    close() {
      closed = true;
      stopping.abort();
    },
  };
}

function parseReply(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { method?: unknown }).method === 'string') {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // An answer that is not a method call is simply an acknowledgement.
  }
  return undefined;
}

function postJson(
  settings: WebhookSettings,
  body: string,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  };
  if (settings.secretToken !== undefined) headers['x-telegram-bot-api-secret-token'] = settings.secretToken;
  const send = settings.url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // A fresh connection each time, so nothing lingers after stop().
    const req = send(settings.url, { method: 'POST', headers, agent: false, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

import type { InteractionResponseType, InteractionType } from 'discord.js';

import type { InteractionPayload } from './buildInteractionPayload.js';
import type { RecordedMessage } from './messageStore.js';
import type { UploadedFile } from './readRequestBody.js';

/** Fields every reply has: the JSON the bot sent, its uploads and when it came. */
type ReplyCommon = {
  /** A callback's `data` (null when it had none), or a webhook call's body. */
  data: Record<string, unknown> | null;
  files: UploadedFile[];
  at: number;
};

/** One answer of the bot to an interaction, in the order they arrived. */
export type InteractionReply =
  | (ReplyCommon & {
      kind: 'callback';
      /** 4 reply, 5 defer, 6 defer update, 7 update, 8 autocomplete result, 9 modal. */
      type: InteractionResponseType;
      /** Whether the reply or deferral was ephemeral (flag 64). */
      ephemeral: boolean;
      /** The response message it created or changed, if any. */
      messageId: string | null;
    })
  | (ReplyCommon & { kind: 'edit'; messageId: string; original: boolean })
  | (ReplyCommon & { kind: 'followUp'; messageId: string; ephemeral: boolean })
  | (ReplyCommon & { kind: 'delete'; messageId: string; original: boolean });

/** An interaction the server dispatched, and what became of it. */
export type InteractionRecord = {
  id: string;
  token: string;
  type: InteractionType;
  /** The INTERACTION_CREATE data as dispatched. */
  payload: InteractionPayload;
  dispatchedAt: number;
  replies: InteractionReply[];
  /** The response message (`@original`): the reply, the deferral's placeholder or the updated message. */
  original: RecordedMessage | null;
  followUps: RecordedMessage[];
  /** The option type of the focused option, for autocomplete. */
  focusedType: number | null;
};

/** Interactions by token, with a way to wait for their replies. */
export type InteractionLog = {
  add(record: Omit<InteractionRecord, 'replies' | 'original' | 'followUps' | 'dispatchedAt'>): InteractionRecord;
  byToken(token: string): InteractionRecord | undefined;
  acknowledged(record: InteractionRecord): boolean;
  addReply(record: InteractionRecord, reply: InteractionReply): void;
  /** Resolves with the replies once there are at least `count`; rejects after `timeoutMs`. */
  waitForReplies(token: string, count: number, timeoutMs: number): Promise<InteractionReply[]>;
};

/** Creates an empty log. */
export function createInteractionLog(): InteractionLog {
  const records = new Map<string, InteractionRecord>();
  const waiters = new Set<{ token: string; count: number; resolve: (replies: InteractionReply[]) => void }>();

  return {
    add(fields) {
      const record: InteractionRecord = { ...fields, dispatchedAt: Date.now(), replies: [], original: null, followUps: [] };
      records.set(record.token, record);
      return record;
    },
    byToken: (token) => records.get(token),
    acknowledged: (record) => record.replies.some((reply) => reply.kind === 'callback'),
    addReply(record, reply) {
      record.replies.push(reply);
      for (const waiter of [...waiters]) {
        if (waiter.token === record.token && record.replies.length >= waiter.count) waiter.resolve([...record.replies]);
      }
    },
    waitForReplies(token, count, timeoutMs) {
      const record = records.get(token);
      if (record === undefined) return Promise.reject(new Error(`No interaction with token ${token} was dispatched`));
      if (record.replies.length >= count) return Promise.resolve([...record.replies]);
      return new Promise((resolve, reject) => {
        const waiter = {
          token,
          count,
          resolve: (replies: InteractionReply[]) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(replies);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const got = record.replies.map((reply) => (reply.kind === 'callback' ? `callback ${reply.type}` : reply.kind));
          const summary = `${record.replies.length} of ${count} replies in ${timeoutMs} ms: [${got.join(', ')}]`;
          reject(new Error(`Interaction ${record.id} got ${summary}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}

import type { Update } from 'grammy/types';

import { conflict } from './telegramApiError.js';

/** An update before the queue numbers it. */
export type NewUpdate = Omit<Update, 'update_id'>;

/** The parameters of one getUpdates call. */
export type PollRequest = { offset?: number; limit?: number; timeout?: number; allowedUpdates?: string[] };

/** The bot's pending updates, served by long polling or handed to a webhook. */
export type UpdateQueue = {
  /** Numbers an update and wakes a waiting poll. */
  push(update: NewUpdate): Update;
  /**
   * Answers getUpdates: confirms what lies below `offset`, then returns the pending updates
   * or waits up to `timeout` seconds for one. A newer poll ends this one with 409, as on
   * Telegram; `signal` (the client hanging up) ends it with nothing.
   */
  poll(request: PollRequest, signal: AbortSignal): Promise<Update[]>;
  /** The first update the current `allowed_updates` lets through; others are discarded. */
  next(): Update | undefined;
  /** Forgets every update below `offset`. */
  confirm(offset: number): void;
  /** Sets `allowed_updates`; an empty list means Telegram's default. */
  allow(types: string[]): void;
  allowedUpdates(): string[] | undefined;
  dropPending(): void;
  /** Ends every waiting poll with the 409 a webhook or another poller causes. */
  interrupt(description: string): void;
  /** Answers every waiting poll with nothing and answers later polls at once. */
  close(): void;
};

// Telegram leaves these out unless asked for by name.
const OPT_IN_TYPES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

type Waiter = { wake(): void; fail(error: Error): void; finish(updates: Update[]): void };

/** Creates an empty queue whose first update gets `firstUpdateId`. */
export function createUpdateQueue(firstUpdateId: number): UpdateQueue {
  let pending: Update[] = [];
  let nextId = firstUpdateId;
  let allowed: Set<string> | undefined;
  let closed = false;
  const waiters = new Set<Waiter>();

  const typeOf = (update: Update): string => Object.keys(update).find((key) => key !== 'update_id') ?? '';
  const isAllowed = (update: Update): boolean =>
    allowed === undefined ? !OPT_IN_TYPES.has(typeOf(update)) : allowed.has(typeOf(update));
  // Telegram never stores an update the bot did not ask for, so a filtered one is gone for good.
  const deliverable = (limit: number): Update[] => {
    pending = pending.filter(isAllowed);
    return pending.slice(0, limit);
  };
  const confirm = (offset: number): void => {
    if (offset > 0) pending = pending.filter((update) => update.update_id >= offset);
    // A negative offset keeps only the last |offset| updates.
    else if (offset < 0) pending = pending.slice(offset);
  };

  return {
    push(update) {
      const numbered = { update_id: nextId++, ...update } as Update;
      pending.push(numbered);
      for (const waiter of [...waiters]) waiter.wake();
      return numbered;
    },
    poll(request, signal) {
      this.interrupt('terminated by other getUpdates request; make sure that only one bot instance is running');
      if (request.allowedUpdates !== undefined) this.allow(request.allowedUpdates);
      if (request.offset !== undefined) confirm(request.offset);
      const limit = Math.min(100, Math.max(1, request.limit ?? 100));
      const ready = deliverable(limit);
      const timeoutMs = (request.timeout ?? 0) * 1000;
      if (ready.length > 0 || timeoutMs <= 0 || closed || signal.aborted) return Promise.resolve(ready);
      return new Promise<Update[]>((resolve, reject) => {
        const timer = setTimeout(() => waiter.finish([]), timeoutMs);
        const onAbort = (): void => waiter.finish([]);
        const settle = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          waiters.delete(waiter);
        };
        const waiter: Waiter = {
          wake() {
            const updates = deliverable(limit);
            if (updates.length > 0) waiter.finish(updates);
          },
          finish(updates) {
            settle();
            resolve(updates);
          },
          fail(error) {
            settle();
            reject(error);
          },
        };
        signal.addEventListener('abort', onAbort);
        waiters.add(waiter);
      });
    },
    next: () => deliverable(1)[0],
    confirm,
    allow(types) {
      allowed = types.length === 0 ? undefined : new Set(types);
    },
    allowedUpdates: () => (allowed === undefined ? undefined : [...allowed]),
    dropPending() {
      pending = [];
    },
    interrupt(description) {
      for (const waiter of [...waiters]) waiter.fail(conflict(description));
    },
    close() {
      closed = true;
      for (const waiter of [...waiters]) waiter.finish([]);
    },
  };
}

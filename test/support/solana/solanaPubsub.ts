import { WebSocket } from 'ws';

import { isSolanaAddress } from '../../../src/tracker/solana/base58.js';
import type { LedgerTransaction, SimulatedLedger } from './simulatedLedger.js';
import { invalidParams, SolanaRpcError } from './solanaRpcError.js';

type JsonObject = Record<string, unknown>;

/** The WebSocket side of the simulated node: logs and slot subscriptions. */
export type SolanaPubsub = {
  /** Serves JSON-RPC subscriptions on a socket just accepted. */
  accept(socket: WebSocket): void;
  /**
   * Closes every open socket: abruptly by default (the client sees 1006, as on a network
   * drop), or with a close frame carrying `code`.
   */
  dropAll(code?: number): void;
  /** Sockets open now, and accepted since the start. */
  sockets(): { open: number; accepted: number };
};

type LogsFilter = { all: boolean; votes: boolean; mentions: string | null };
type Subscription = { socket: WebSocket } & ({ kind: 'logs'; filter: LogsFilter } | { kind: 'slot' });

const VOTE_PROGRAM = 'Vote111111111111111111111111111111111111111';
const ROOT_DEPTH = 32;

/** Pubsub over the ledger; countCall sees every method a client sends, notifications included. */
export function createSolanaPubsub(ledger: SimulatedLedger, countCall: (method: string) => void): SolanaPubsub {
  const sockets = new Set<WebSocket>();
  const subscriptions = new Map<number, Subscription>();
  let nextSubscriptionId = 1;
  let accepted = 0;

  const send = (socket: WebSocket, message: unknown): void => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  };
  const notify = (subscription: Subscription, id: number, method: string, result: unknown): void =>
    send(subscription.socket, { jsonrpc: '2.0', method, params: { result, subscription: id } });

  ledger.onPublish((tx) => {
    for (const [id, subscription] of subscriptions) {
      if (subscription.kind !== 'logs' || !mentions(subscription.filter, tx)) continue;
      notify(subscription, id, 'logsNotification', {
        context: { slot: tx.slot },
        value: { err: tx.err, logs: tx.logs, signature: tx.signature },
      });
    }
  });
  ledger.onSlot((slot, parent) => {
    for (const [id, subscription] of subscriptions) {
      if (subscription.kind !== 'slot') continue;
      notify(subscription, id, 'slotNotification', { parent, root: Math.max(0, slot - ROOT_DEPTH), slot });
    }
  });

  const subscribe = (subscription: Subscription): number => {
    const id = nextSubscriptionId++;
    subscriptions.set(id, subscription);
    return id;
  };
  const unsubscribe = (socket: WebSocket, params: unknown[], kind: Subscription['kind']): boolean => {
    const id = params[0];
    const subscription = typeof id === 'number' ? subscriptions.get(id) : undefined;
    if (subscription === undefined || subscription.socket !== socket || subscription.kind !== kind) {
      throw invalidParams('Invalid subscription id.');
    }
    subscriptions.delete(id as number);
    return true;
  };

  const call = (socket: WebSocket, method: string, params: unknown[]): unknown => {
    switch (method) {
      case 'logsSubscribe':
        return subscribe({ socket, kind: 'logs', filter: readLogsFilter(params[0]) });
      case 'logsUnsubscribe':
        return unsubscribe(socket, params, 'logs');
      case 'slotSubscribe':
        return subscribe({ socket, kind: 'slot' });
      case 'slotUnsubscribe':
        return unsubscribe(socket, params, 'slot');
      default:
        throw new SolanaRpcError(-32601, 'Method not found');
    }
  };

  const answer = (socket: WebSocket, request: unknown): JsonObject | null => {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request' }, id: null };
    }
    const { id, method, params } = request as JsonObject;
    if (typeof method !== 'string') return { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid request' }, id: id ?? null };
    countCall(method);
    // A request without id is a notification (web3.js sends a `ping` every 5 s): no answer.
    if (id === undefined) return null;
    try {
      return { jsonrpc: '2.0', result: call(socket, method, Array.isArray(params) ? params : []), id };
    } catch (error) {
      const rpcError = error instanceof SolanaRpcError ? error : new SolanaRpcError(-32603, String(error));
      return { jsonrpc: '2.0', error: rpcError.toJSON(), id };
    }
  };

  return {
    accept(socket) {
      accepted++;
      sockets.add(socket);
      socket.on('close', () => {
        sockets.delete(socket);
        for (const [id, subscription] of subscriptions) if (subscription.socket === socket) subscriptions.delete(id);
      });
      socket.on('message', (data) => {
        let message: unknown;
        try {
          message = JSON.parse(String(data));
        } catch {
          send(socket, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
          return;
        }
        if (Array.isArray(message)) {
          const answers = message.map((request) => answer(socket, request)).filter((reply) => reply !== null);
          if (answers.length > 0) send(socket, answers);
          return;
        }
        const reply = answer(socket, message);
        if (reply !== null) send(socket, reply);
      });
    },

    dropAll(code) {
      for (const socket of sockets) {
        if (code === undefined) socket.terminate();
        else socket.close(code, 'dropped by the test');
      }
    },

    sockets: () => ({ open: sockets.size, accepted }),
  };
}

function readLogsFilter(value: unknown): LogsFilter {
  if (value === 'all') return { all: true, votes: false, mentions: null };
  if (value === 'allWithVotes') return { all: true, votes: true, mentions: null };
  const mentions = typeof value === 'object' && value !== null ? (value as JsonObject)['mentions'] : undefined;
  if (!Array.isArray(mentions)) throw invalidParams('Invalid params: expected "all", "allWithVotes" or {mentions}.');
  if (mentions.length !== 1) throw invalidParams('Invalid Request: Only 1 address supported');
  const address = mentions[0];
  if (!isSolanaAddress(address)) throw invalidParams('Invalid param: Invalid');
  return { all: false, votes: true, mentions: address };
}

function mentions(filter: LogsFilter, tx: LedgerTransaction): boolean {
  if (filter.mentions !== null) return tx.accountKeys.includes(filter.mentions);
  return filter.votes || !tx.accountKeys.includes(VOTE_PROGRAM);
}

import { EventEmitter } from 'node:events';

/** Everything one part of Lookout announces to the others within the process. */
export type LookoutEvent =
  | { type: 'wallets_changed'; workspaceId: string; chains: string[] }
  | { type: 'trade_recorded'; chain: string; tradeId: number; txHash: string; wallet: string; kind: string }
  | { type: 'trade_reverted'; chain: string; tradeId: number; txHash: string; wallet: string }
  | { type: 'outbox_ready' };

export type LookoutEventType = LookoutEvent['type'];
type EventOf<T extends LookoutEventType> = Extract<LookoutEvent, { type: T }>;

export type EventBus = {
  emit(event: LookoutEvent): void;
  /** Subscribes to one type of event; returns the function that unsubscribes. */
  on<T extends LookoutEventType>(type: T, handler: (event: EventOf<T>) => void): () => void;
};

/** An in-process bus: handlers run synchronously and a failing handler cannot break the emitter. */
export function createEventBus(onHandlerError: (error: unknown, event: LookoutEvent) => void = () => {}): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    emit(event) {
      for (const listener of emitter.listeners(event.type)) {
        try {
          (listener as (event: LookoutEvent) => void)(event);
        } catch (error) {
          onHandlerError(error, event);
        }
      }
    },
    on(type, handler) {
      emitter.on(type, handler);
      return () => emitter.off(type, handler);
    },
  };
}

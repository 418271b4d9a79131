import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventBus } from '../../events/eventBus.js';

export type TrackerMetrics = {
  /** A transaction that could not be decoded and was skipped. */
  decodeSkipped(chain: string, count: number): void;
  /** How far the stored cursor is behind the head the node reported. */
  headLag(chain: string, blocks: bigint): void;
};

/**
 * The tracker's metrics in the registry of `common`: trades stored and reverted (counted from the events
 * the pipeline announces), transactions skipped, and the lag behind the head. Returns the recorder and
 * the function that stops listening.
 */
export function createTrackerMetrics(registry: Registry, events: EventBus): { metrics: TrackerMetrics; stop(): void } {
  const stored = metric(registry, 'lookout_trades_stored_total', () =>
    new Counter({ name: 'lookout_trades_stored_total', help: 'Trades stored from followed chains', labelNames: ['chain', 'kind'], registers: [registry] }),
  );
  const reverted = metric(registry, 'lookout_trades_reverted_total', () =>
    new Counter({ name: 'lookout_trades_reverted_total', help: 'Stored trades undone by a reorg', labelNames: ['chain'], registers: [registry] }),
  );
  const skipped = metric(registry, 'lookout_decode_skipped_total', () =>
    new Counter({ name: 'lookout_decode_skipped_total', help: 'Transactions skipped because they could not be decoded', labelNames: ['chain'], registers: [registry] }),
  );
  const lag = metric(registry, 'lookout_chain_head_lag_blocks', () =>
    new Gauge({ name: 'lookout_chain_head_lag_blocks', help: 'Blocks between the head a node reported and the stored cursor', labelNames: ['chain'], registers: [registry] }),
  );
  const offRecorded = events.on('trade_recorded', (event) => stored.inc({ chain: event.chain, kind: event.kind }));
  const offReverted = events.on('trade_reverted', (event) => reverted.inc({ chain: event.chain }));
  return {
    metrics: {
      decodeSkipped: (chain, count) => skipped.inc({ chain }, count),
      headLag: (chain, blocks) => lag.set({ chain }, Number(blocks > 0n ? blocks : 0n)),
    },
    stop() {
      offRecorded();
      offReverted();
    },
  };
}

/** One metric per name in a registry, however many pipelines share it. */
function metric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

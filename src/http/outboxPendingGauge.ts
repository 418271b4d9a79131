import { Gauge, type Registry } from 'prom-client';
import { outboxPendingBySink } from '../db/healthQueries.js';
import type { Db } from '../db/openDatabase.js';
import type { Logger } from '../logger.js';

/**
 * `lookout_outbox_pending{sink}`: alerts waiting in the outbox per sink, counted in the database on each scrape, so
 * that it is right whichever instance delivers them.
 */
export function registerOutboxPendingGauge(registry: Registry, db: Db, logger: Logger): void {
  if (registry.getSingleMetric('lookout_outbox_pending')) return;
  new Gauge({
    name: 'lookout_outbox_pending',
    help: 'Alerts waiting in the outbox (pending or being sent), per sink',
    labelNames: ['sink'],
    registers: [registry],
    async collect() {
      try {
        const pending = await outboxPendingBySink(db);
        this.reset();
        for (const sink of new Set(['console', 'telegram', 'discord', ...pending.keys()])) this.set({ sink }, pending.get(sink) ?? 0);
      } catch (error) {
        logger.warn({ err: error }, 'metrics: could not count the outbox');
      }
    },
  });
}

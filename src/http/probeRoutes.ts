import { z } from 'zod';
import { registerOutboxPendingGauge } from './outboxPendingGauge.js';
import { checkHealth } from './checkHealth.js';
import type { HttpCommon, ZodApp } from './RouteContext.js';

const chainHealthSchema = z.object({
  chain: z.string(),
  cursor: z.string().nullable(),
  cursorUpdatedAt: z.string().nullable(),
  lagBlocks: z.number().nullable(),
  lagBudgetBlocks: z.number(),
  lastTradeAt: z.string().nullable(),
  followedBy: z.string().optional().describe('the instance that follows the chain, when it is another one on the same Postgres'),
  ready: z.boolean(),
});
const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  reasons: z.array(z.string()),
  database: z.enum(['ok', 'unreachable']),
  chains: z.array(chainHealthSchema),
  sinks: z.array(z.object({ sink: z.string(), outboxPending: z.number().int() })),
});
const readySchema = z.object({ status: z.enum(['ready', 'not_ready']), reasons: z.array(z.string()) });

/** The probes and metrics, without an API key: /live, /ready, /health and /metrics. */
export function registerProbeRoutes(app: ZodApp, common: HttpCommon): void {
  registerOutboxPendingGauge(common.metrics, common.db, common.logger);

  app.get(
    '/live',
    { schema: { summary: 'The process answers', tags: ['probes'], response: { 200: z.object({ status: z.literal('live') }) } } },
    async () => ({ status: 'live' as const }),
  );

  app.get(
    '/ready',
    { schema: { summary: 'The database answers and every followed chain is within its lag budget', tags: ['probes'], response: { 200: readySchema, 503: readySchema } } },
    async (_request, reply) => {
      const health = await checkHealth(common);
      return reply.code(health.ready ? 200 : 503).send({ status: health.ready ? 'ready' : 'not_ready', reasons: health.reasons });
    },
  );

  app.get(
    '/health',
    { schema: { summary: 'Per chain and sink: cursor, lag, last stored trade, alerts waiting', tags: ['probes'], response: { 200: healthSchema } } },
    async () => {
      const { ready, ...health } = await checkHealth(common);
      return { status: ready ? ('ok' as const) : ('degraded' as const), ...health };
    },
  );

  app.get('/metrics', { schema: { summary: 'Prometheus metrics, in the text format', tags: ['probes'], produces: ['text/plain'] } }, async (_request, reply) => {
    const text = await common.metrics.metrics();
    return reply.type(common.metrics.contentType).send(text);
  });
}

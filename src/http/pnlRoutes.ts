import { z } from 'zod';
import { pnlCharts } from '../charts/pnlCharts.js';
import { pnlReportToJson } from '../tracker/pnl/pnlReportToJson.js';
import { Rational } from '../tracker/pnl/Rational.js';
import { portfolioPnl } from '../usecases/portfolioPnl.js';
import { errorResponses, historySchema, pnlQuerySchema, pnlReportSchema, portfolioSchema, scopeQuerySchema } from './apiSchemas.js';
import { HttpError } from './HttpError.js';
import type { RouteContext, ZodApp } from './RouteContext.js';

// Note: the same limit as the chats' PnL answer marks a price stale.
const STALE_PRICE_MS = 3_600_000;
const CHART_KINDS = ['pnl', 'allocation', 'value'] as const;

/** PnL, portfolio, value history and the PnL charts: all from the use case behind `lookout pnl` and /pnl. */
export function registerPnlRoutes(app: ZodApp, ctx: RouteContext): void {
  app.get(
    '/pnl',
    {
      schema: {
        summary: 'Profit and loss of a wallet, a group or the workspace (the fields of lookout pnl --json)',
        tags: ['pnl'],
        querystring: pnlQuerySchema,
        response: { 200: pnlReportSchema, ...errorResponses },
      },
    },
    async (request) => pnlReportToJson((await portfolioPnl(ctx.deps(request), request.query)).report),
  );

  app.get(
    '/portfolio',
    {
      schema: {
        summary: 'What is held now, with values, prices and their age',
        tags: ['pnl'],
        querystring: scopeQuerySchema,
        response: { 200: portfolioSchema, ...errorResponses },
      },
    },
    async (request) => {
      const result = await portfolioPnl(ctx.deps(request), request.query);
      const held = result.report.positions.filter((position) => position.amount !== 0n);
      const json = pnlReportToJson({ ...result.report, positions: held });
      const total = held.reduce((sum, position) => (position.valueUsd ? sum.add(position.valueUsd) : sum), Rational.ZERO);
      return {
        at: result.now.toISOString(),
        valueUsd: total.toFixed(2),
        holdings: json.positions.map((position, index) => {
          const priceAt = held[index]!.priceAt;
          const ageMs = priceAt === null ? null : Math.max(0, result.now.getTime() - priceAt.getTime());
          return {
            chain: position.chain,
            token: position.token,
            symbol: position.symbol,
            decimals: position.decimals,
            amount: position.amount,
            valueUsd: position.valueUsd,
            priceUsd: position.priceUsd,
            priceAt: position.priceAt,
            priceAgeSeconds: ageMs === null ? null : Math.floor(ageMs / 1000),
            stale: ageMs !== null && ageMs > STALE_PRICE_MS,
          };
        }),
      };
    },
  );

  app.get(
    '/history',
    {
      schema: {
        summary: 'Value over time, from the hourly holdings snapshots',
        tags: ['pnl'],
        querystring: scopeQuerySchema.extend({ window: pnlQuerySchema.shape.window }),
        response: { 200: historySchema, ...errorResponses },
      },
    },
    async (request) => {
      const result = await portfolioPnl(ctx.deps(request), request.query);
      return { window: result.window, points: result.valueSeries.map((point) => ({ at: point.at.toISOString(), valueUsd: point.valueUsd.toFixed(2) })) };
    },
  );

  app.get(
    '/charts/:kind',
    {
      schema: {
        summary: 'A PNG chart, as /pnl draws it: pnl.png (PnL by token), allocation.png or value.png',
        tags: ['pnl'],
        params: z.object({ kind: z.enum(CHART_KINDS.map((kind) => `${kind}.png`) as ['pnl.png', 'allocation.png', 'value.png']) }),
        querystring: pnlQuerySchema.extend({
          size: z
            .string()
            .regex(/^\d{2,4}x\d{2,4}$/, { message: 'must be width x height in pixels, such as 800x480' })
            .optional()
            .describe('width x height in pixels (default 800x480)'),
        }),
        produces: ['image/png'],
        response: { 200: z.any().describe('a PNG image'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const kind = request.params.kind.replace(/\.png$/, '') as (typeof CHART_KINDS)[number];
      const { size, ...options } = request.query;
      const [width, height] = (size ?? '800x480').split('x').map(Number) as [number, number];
      const result = await portfolioPnl(ctx.deps(request), options);
      const config = pnlCharts(result.report, result.valueSeries)[kind];
      if (!config) {
        throw new HttpError(
          404,
          'not_found',
          kind === 'value'
            ? 'There is no value history yet: the hourly snapshot job needs to run at least twice.'
            : 'There is nothing to chart yet: these wallets have no priced positions.',
        );
      }
      const png = await ctx.services.charts.renderChart(config, { width, height });
      return reply.type('image/png').send(png);
    },
  );
}

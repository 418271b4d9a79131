import { z } from 'zod';
import { webhookName } from '../usecases/webhookName.js';
import { UserInputError } from '../errors/LookoutError.js';
import type { AlertRoute } from '../db/alertRouteQueries.js';
import { signalSetting } from '../usecases/parseSignalSetting.js';
import { listAlertRoutes } from '../usecases/listAlertRoutes.js';
import { removeAlertRoute } from '../usecases/removeAlertRoute.js';
import { routeAlerts } from '../usecases/routeAlerts.js';
import { alertRouteBodySchema, alertRouteSchema, errorResponses } from './apiSchemas.js';
import type { RouteContext, ZodApp } from './RouteContext.js';

/** Alert routes: where a group's alerts (or all of them) go, with their own minimum and kinds. */
export function registerAlertRouteRoutes(app: ZodApp, ctx: RouteContext): void {
  app.get(
    '/alert-routes',
    { schema: { summary: 'The alert routes, and whether they are paused', tags: ['alerts'], response: { 200: z.object({ routes: z.array(alertRouteSchema) }), ...errorResponses } } },
    async (request) => ({ routes: (await listAlertRoutes(ctx.deps(request))).map((route) => routeJson(route, route.groupName)) }),
  );

  app.post(
    '/alert-routes',
    {
      schema: {
        summary: "Route a group's alerts (or all of them) to a destination; replaces the route there for that group",
        tags: ['alerts'],
        body: alertRouteBodySchema,
        response: { 201: alertRouteSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { destination, webhook, ...filters } = request.body;
      if ((destination === undefined) === (webhook === undefined)) {
        throw new UserInputError('Give either destination (console, telegram:<chat id>, discord:<channel id>) or webhook ({ url, secret }).');
      }
      const { route, group } = await routeAlerts(ctx.deps(request), { destination: destination ?? 'webhook', webhook, ...filters });
      return reply.code(201).send(routeJson(route, group?.name ?? null));
    },
  );

  app.delete(
    '/alert-routes/:id',
    {
      schema: {
        summary: 'Remove an alert route',
        tags: ['alerts'],
        params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
        response: { 200: z.object({ id: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => ({ id: (await removeAlertRoute(ctx.deps(request), request.params.id)).id }),
  );
}

function routeJson(route: AlertRoute, group: string | null): z.infer<typeof alertRouteSchema> {
  return {
    id: route.id,
    destination: route.destination,
    group,
    minUsd: route.minUsd,
    types: route.types,
    signal: signalSetting(route),
    paused: route.pausedAt !== null,
    pausedReason: route.pausedReason,
    webhook: route.webhookUrl ? webhookName(route.webhookUrl) : null,
    createdBy: route.createdBy,
    createdAt: route.createdAt.toISOString(),
  };
}

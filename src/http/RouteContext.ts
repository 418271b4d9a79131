import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Common } from '../app/common.js';
import type { ChartRenderer } from '../charts/ChartRenderer.js';
import type { Backfiller } from '../tracker/createBackfiller.js';
import type { CurrentPrice, UseCaseDeps } from '../usecases/UseCaseDeps.js';

/** A Fastify instance whose routes are typed and checked by zod schemas. */
export type ZodApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What the HTTP server needs of a running Lookout. */
export type HttpCommon = Pick<Common, 'db' | 'config' | 'logger' | 'events' | 'metrics'>;

/** What the API needs beyond `common`, as the chats get it: prices, a chart renderer and, where chains are reachable, backfill. */
export type HttpServices = { prices: CurrentPrice; charts: ChartRenderer; backfill?: Backfiller | undefined };

/** What every route of /api/v1 gets: the use case dependencies of the request's API key (its workspace, `api:<name>` as actor). */
export type RouteContext = {
  common: HttpCommon;
  services: HttpServices;
  deps(request: FastifyRequest): UseCaseDeps;
};

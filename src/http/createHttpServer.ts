import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiKey } from '../db/apiKeyQueries.js';
import { registerAlertRouteRoutes } from './alertRouteRoutes.js';
import { createAuthenticate } from './authenticate.js';
import { createRateLimiter } from './createRateLimiter.js';
import { registerGroupRoutes } from './groupRoutes.js';
import { errorBody, HttpError, toHttpError } from './HttpError.js';
import { registerPnlRoutes } from './pnlRoutes.js';
import { registerProbeRoutes } from './probeRoutes.js';
import type { HttpCommon, HttpServices, RouteContext, ZodApp } from './RouteContext.js';
import { registerSettingsRoutes } from './settingsRoutes.js';
import { registerTradeRoutes } from './tradeRoutes.js';
import { registerWalletRoutes } from './walletRoutes.js';

export type { HttpCommon, HttpServices } from './RouteContext.js';

/** Lookout's HTTP server: the REST API under /api/v1 and its OpenAPI document, the probes and /metrics. */
export type HttpServer = {
  /** Listens on the host and port given (0 picks a free port); answers where it listens. */
  listen(options: { host: string; port: number }): Promise<{ host: string; port: number; url: string }>;
  /** Stops taking requests and waits for those under way. */
  close(): Promise<void>;
  /** The Fastify instance, for tests that inject requests. */
  readonly app: ZodApp;
};

export const API_PREFIX = '/api/v1';

/**
 * Builds the HTTP server on the same use cases as the chats: each request of /api/v1 acts in its API key's
 * workspace, as `api:<key name>` in the audit log. Request and response bodies are checked by zod schemas, and the
 * OpenAPI document at /api/v1/openapi.json is written from the same schemas.
 */
export async function createHttpServer(common: HttpCommon, services: HttpServices): Promise<HttpServer> {
  const log = common.logger.child({ component: 'http' });
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, return503OnClosing: true }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error, request, reply) => {
    const answer = toHttpError(error);
    if (answer.status >= 500) log.error({ err: error, method: request.method, url: request.url.split('?')[0] }, 'request failed');
    return reply.code(answer.status).headers(answer.headers).send(errorBody(answer));
  });
  app.setNotFoundHandler((request, reply) => {
    const answer = new HttpError(404, 'not_found', `There is no ${request.method} ${request.url.split('?')[0]!.slice(0, 100)}; see ${API_PREFIX}/openapi.json for the routes.`);
    return reply.code(404).send(errorBody(answer));
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Lookout API', description: "Wallets, groups, trades, PnL and alert routes of one API key's workspace.", version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key from lookout apikey create' } } },
    },
    transform: jsonSchemaTransform,
  });

  registerProbeRoutes(app, common);

  const authenticate = createAuthenticate({ db: common.db, limiter: createRateLimiter(common.db, common.config.http.rateLimitPerMinute) });
  const keys = new WeakMap<FastifyRequest, ApiKey>();
  const ctx: RouteContext = {
    common,
    services,
    deps(request) {
      const key = keys.get(request);
      if (!key) throw new HttpError(401, 'unauthorized', 'Send an API key as Authorization: Bearer <key>.');
      return {
        db: common.db,
        config: common.config,
        events: common.events,
        workspaceId: key.workspaceId,
        actor: `api:${key.name}`,
        backfill: services.backfill,
        prices: services.prices,
      };
    },
  };

  app.get(`${API_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      api.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, security: [{ bearer: [] }] } as typeof route.schema;
      });
      api.addHook('onRequest', async (request) => {
        keys.set(request, await authenticate(request));
      });
      const typed = api.withTypeProvider<ZodTypeProvider>();
      registerWalletRoutes(typed, ctx);
      registerGroupRoutes(typed, ctx);
      registerTradeRoutes(typed, ctx);
      registerPnlRoutes(typed, ctx);
      registerAlertRouteRoutes(typed, ctx);
      registerSettingsRoutes(typed, ctx);
    },
    { prefix: API_PREFIX },
  );
  await app.ready();

  return {
    app,
    async listen({ host, port }) {
      await app.listen({ host, port });
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      return { host, port: bound, url: `http://${shownHost}:${bound}` };
    },
    close: () => app.close(),
  };
}

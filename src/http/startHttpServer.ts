import type { Common } from '../app/common.js';
import { createHttpServer, type HttpServer, type HttpServices } from './createHttpServer.js';

/**
 * Starts the HTTP API, probes and metrics of `lookout run` on LOOKOUT_HTTP_HOST:LOOKOUT_HTTP_PORT, logs where it
 * listens (the chosen port when it was 0), and closes it on shutdown; null when LOOKOUT_HTTP_PORT is off.
 */
export async function startHttpServer(common: Common, services: HttpServices): Promise<HttpServer | null> {
  const { port, host } = common.config.http;
  if (port === null) return null;
  const server = await createHttpServer(common, services);
  const where = await server.listen({ host, port });
  common.shutdown.add(() => server.close());
  common.logger.info({ host: where.host, port: where.port, url: where.url }, `HTTP API listening on ${where.url}`);
  return server;
}

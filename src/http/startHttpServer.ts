import type { Common } from '../app/common.js';
import { LookoutError } from '../errors/LookoutError.js';
import { createHttpServer, type HttpServer, type HttpServices } from './createHttpServer.js';

/**
 * Starts the HTTP API, probes and metrics of `lookout run` on LOOKOUT_HTTP_HOST:LOOKOUT_HTTP_PORT, logs where it
 * listens (the chosen port when it was 0), and closes it on shutdown; null when LOOKOUT_HTTP_PORT is off.
 */
export async function startHttpServer(common: Common, services: HttpServices): Promise<HttpServer | null> {
  const { port, host } = common.config.http;
  if (port === null) return null;
  const server = await createHttpServer(common, services);
  common.shutdown.add(() => server.close());
  const where = await server.listen({ host, port }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      const why = code === 'EADDRINUSE' ? `port ${port} is in use` : code === 'EACCES' ? `port ${port} needs more rights` : `${host} is not an address of this machine`;
      throw new LookoutError(
        `The HTTP API cannot listen on ${host}:${port}: ${why}; set LOOKOUT_HTTP_PORT to another port (0 picks a free one) or off, or fix LOOKOUT_HTTP_HOST.`,
        { action: 'stop', cause: error },
      );
    }
    throw error;
  });
  common.logger.info({ host: where.host, port: where.port, url: where.url }, `HTTP API listening on ${where.url}`);
  return server;
}

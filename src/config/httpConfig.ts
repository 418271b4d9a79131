import { ConfigError } from '../errors/LookoutError.js';

/** The HTTP API, probes and metrics of `lookout run`. */
export type HttpConfig = {
  /** The port to listen on; 0 picks a free one; null when the server is turned off (`LOOKOUT_HTTP_PORT=off`). */
  port: number | null;
  host: string;
  /** Requests one API key may make per minute (`LOOKOUT_API_RATE_LIMIT`, default 100). */
  rateLimitPerMinute: number;
};

export const DEFAULT_HTTP_PORT = 8787;

/** Reads `LOOKOUT_HTTP_PORT`, `LOOKOUT_HTTP_HOST` and `LOOKOUT_API_RATE_LIMIT`. Throws `ConfigError`. */
export function readHttpConfig(env: Record<string, string | undefined>): HttpConfig {
  const portText = env.LOOKOUT_HTTP_PORT?.trim() || String(DEFAULT_HTTP_PORT);
  let port: number | null;
  if (/^(off|false|no|none|disabled)$/i.test(portText)) port = null;
  else if (/^\d{1,5}$/.test(portText) && Number(portText) <= 65_535) port = Number(portText);
  else throw new ConfigError(`LOOKOUT_HTTP_PORT must be a port from 0 to 65535 (0 picks a free one), or off; '${portText.slice(0, 20)}' is not one.`);

  const host = env.LOOKOUT_HTTP_HOST?.trim() || '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]{1,253}$/.test(host)) {
    throw new ConfigError(`LOOKOUT_HTTP_HOST must be a host name or an IP address such as 127.0.0.1 or 0.0.0.0; '${host.slice(0, 40)}' is not one.`);
  }

  const limitText = env.LOOKOUT_API_RATE_LIMIT?.trim() || '100';
  if (!/^\d{1,7}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 1_000_000) {
    throw new ConfigError(`LOOKOUT_API_RATE_LIMIT must be a whole number of requests per minute from 1 to 1000000; '${limitText.slice(0, 20)}' is not one.`);
  }
  return { port, host, rateLimitPerMinute: Number(limitText) };
}

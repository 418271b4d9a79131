import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/LookoutError.js';
import { readHttpConfig } from './httpConfig.js';

describe('readHttpConfig', () => {
  it('behavior: listens on 127.0.0.1:8787 with 100 requests a minute by default', () => {
    expect(readHttpConfig({})).toEqual({ port: 8787, host: '127.0.0.1', rateLimitPerMinute: 100 });
  });

  it('behavior: 0 picks a free port, off turns the server off', () => {
    expect(readHttpConfig({ LOOKOUT_HTTP_PORT: '0' }).port).toBe(0);
    expect(readHttpConfig({ LOOKOUT_HTTP_PORT: 'off' }).port).toBeNull();
    expect(readHttpConfig({ LOOKOUT_HTTP_PORT: ' 9000 ', LOOKOUT_HTTP_HOST: '0.0.0.0', LOOKOUT_API_RATE_LIMIT: '5' })).toEqual({
      port: 9000,
      host: '0.0.0.0',
      rateLimitPerMinute: 5,
    });
  });

  it.each([
    [{ LOOKOUT_HTTP_PORT: '70000' }, /^LOOKOUT_HTTP_PORT must be a port from 0 to 65535/],
    [{ LOOKOUT_HTTP_PORT: 'http' }, /'http' is not one\.$/],
    [{ LOOKOUT_HTTP_HOST: 'a b' }, /^LOOKOUT_HTTP_HOST must be a host name/],
    [{ LOOKOUT_API_RATE_LIMIT: '0' }, /^LOOKOUT_API_RATE_LIMIT must be a whole number/],
    [{ LOOKOUT_API_RATE_LIMIT: '1.5' }, /^LOOKOUT_API_RATE_LIMIT must be a whole number/],
  ])('error: refuses %o with one sentence', (env, message) => {
    expect(() => readHttpConfig(env)).toThrow(ConfigError);
    expect(() => readHttpConfig(env)).toThrow(message);
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configSecrets } from './config/configSecrets.js';
import { loadConfig } from './config/loadConfig.js';
import { createLogger, scrubSecrets } from './logger.js';

describe('secrets in logs', () => {
  it('behavior: configSecrets lists tokens, keys and the path and query of RPC URLs, not hosts', () => {
    const config = loadConfig(
      { BASE_RPC_URL: 'https://base.example/v2/abcdef0123456789abcdef?apikey=QWERTY987654', TELEGRAM_BOT_TOKEN: '123456:SECRET-TOKEN-VALUE' },
      '/nonexistent-lookout-dir',
    );
    const secrets = configSecrets(config);
    expect(secrets).toContain('123456:SECRET-TOKEN-VALUE');
    expect(secrets).toContain('/v2/abcdef0123456789abcdef?apikey=QWERTY987654');
    expect(secrets).toContain('QWERTY987654');
    expect(secrets.some((secret) => secret.includes('base.example'))).toBe(false);
  });

  it('behavior: a key inside an error text is scrubbed from the written line; addresses stay', () => {
    const secrets = ['/v2/abcdef0123456789abcdef?apikey=QWERTY987654', 'QWERTY987654'];
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
    const logger = createLogger({ level: 'info', pretty: false, secrets, destination });
    const address = '0x4200000000000000000000000000000000000006';
    logger.warn({ err: new TypeError('Failed to parse URL from https://h:99999/v2/abcdef0123456789abcdef?apikey=QWERTY987654'), token: address }, 'rpc endpoint failing');
    expect(lines.join('')).not.toContain('QWERTY987654');
    expect(lines.join('')).toContain('https://h:99999[redacted]');
    expect(scrubSecrets(`wallet ${address}`, secrets)).toBe(`wallet ${address}`);
  });
});

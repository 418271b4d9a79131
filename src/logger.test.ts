import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configSecrets } from './config/configSecrets.js';
import { loadConfig } from './config/loadConfig.js';
import { createLogger, LOG_REDACTION, scrubSecrets } from './logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info', redact: LOG_REDACTION, base: undefined }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('logger redaction', () => {
  it('behavior: a token or wallet address in a log line is kept whole', () => {
    const { logger, lines } = capture();
    logger.warn({ token: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512', wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' }, 'x');
    logger.warn({ token: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' }, 'solana mint');
    expect(lines[0]).toMatchObject({ token: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512', wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8' });
    expect(lines[1]).toMatchObject({ token: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' });
  });

  it('behavior: secrets are redacted: bot tokens, keys, and the path and query of URLs', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        token: '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
        key: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
        url: 'https://base-mainnet.example.com/v2/SECRETKEY?x=1',
        config: { discord: { token: 'MTA4.Gx9.abc' } },
      },
      'y',
    );
    expect(lines[0]).toMatchObject({ token: '[redacted]', key: '[redacted]', url: 'https://base-mainnet.example.com/…' });
    expect(JSON.stringify(lines[0])).not.toMatch(/SECRETKEY|AAHdq|MTA4/);
  });
});

describe('secrets in logs', () => {
  it('behavior: configSecrets lists tokens, keys and the path and query of RPC URLs, not hosts', () => {
    const config = loadConfig(
      {
        BASE_RPC_URL: 'https://base.example/v2/abcdef0123456789abcdef?apikey=QWERTY987654',
        TELEGRAM_BOT_TOKEN: '123456:SECRET-TOKEN-VALUE',
        DEFILLAMA_URL: 'https://pro-api.llama.fi/LLAMAPROKEY0123456789',
        BASE_FLASHBLOCKS_URL: 'https://base-mainnet.example/v2/FLASHKEY0123456789',
      },
      '/nonexistent-lookout-dir',
    );
    const secrets = configSecrets(config);
    expect(secrets).toContain('123456:SECRET-TOKEN-VALUE');
    expect(secrets).toContain('/v2/abcdef0123456789abcdef?apikey=QWERTY987654');
    expect(secrets).toContain('QWERTY987654');
    expect(secrets).toContain('LLAMAPROKEY0123456789');
    expect(secrets).toContain('/v2/FLASHKEY0123456789');
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

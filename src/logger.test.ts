import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LOG_REDACTION } from './logger.js';

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

import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Fields that may hold a secret; pino replaces their values before a line is written. */
const REDACT_PATHS = [
  'token',
  'key',
  'apiKey',
  'password',
  'databaseUrl',
  'url',
  'rpcUrl',
  '*.token',
  '*.key',
  '*.apiKey',
  '*.password',
  '*.databaseUrl',
  'config.telegram.token',
  'config.discord.token',
  'config.quickchart.key',
  'config.priceApi.key',
  '*.priceApi.key',
];

/**
 * The process logger: human-readable lines when stderr is a terminal, JSON lines otherwise.
 * Logs go to stderr so that stdout stays for command output and alerts.
 */
export function createLogger(options: {
  level: string;
  pretty?: boolean;
  secrets?: readonly string[];
  /** Where JSON lines go instead of stderr. */
  destination?: DestinationStream;
}): Logger {
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const secrets = options.secrets ?? [];
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: undefined,
    // Note: secrets also hide inside error texts and stacks (a URL a fetch refused), which no path reaches.
    ...(secrets.length > 0 ? { hooks: { streamWrite: (line: string) => scrubSecrets(line, secrets) } } : {}),
  };
  if (pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino(base, options.destination ?? pino.destination({ fd: 2, sync: true }));
}

/** Text with every configured secret replaced, also in its JSON-escaped form. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) {
    scrubbed = scrubbed.replaceAll(secret, '[redacted]');
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) scrubbed = scrubbed.replaceAll(escaped, '[redacted]');
  }
  return scrubbed;
}

/** An RPC or server URL fit for logs: scheme, host and port only, since paths and queries often carry API keys. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const hidden = parsed.pathname.length > 1 || parsed.search.length > 0 || parsed.username || parsed.password;
    return `${parsed.protocol}//${parsed.host}${hidden ? '/…' : ''}`;
  } catch {
    return '[unparsable url]';
  }
}

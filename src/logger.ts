import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Fields that may hold a secret; pino passes their values to `censor` before a line is written.
 * Note: `token` is a bot token in one place and a token's address in another; `censor` keeps the latter.
 */
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

const URL_FIELDS = new Set(['url', 'rpcUrl', 'databaseUrl']);

/**
 * A public address (EVM hex, or Solana base58 of 32 bytes) names a token or a wallet, never a secret.
 * Note: bot tokens have a `:` (Telegram) or `.` (Discord), so they never look like one.
 */
function isPublicAddress(value: unknown): boolean {
  return typeof value === 'string' && (/^0x[0-9a-fA-F]{40}$/.test(value) || /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(value));
}

/**
 * What a redacted field becomes: an address stays as it is, so operators can tell which token or wallet a
 * line is about (under `token`); a URL keeps its scheme, host and port (see redactUrl); anything else is `[redacted]`.
 */
export function censorLogValue(value: unknown, path: string[]): unknown {
  const field = path[path.length - 1] ?? '';
  if (field === 'token' && isPublicAddress(value)) return value;
  if (typeof value === 'string' && URL_FIELDS.has(field)) return redactUrl(value);
  return '[redacted]';
}

/** The redaction every Lookout logger uses; exported so that tests can build a logger on a stream with it. */
export const LOG_REDACTION = { paths: REDACT_PATHS, censor: censorLogValue };

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
    redact: LOG_REDACTION,
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

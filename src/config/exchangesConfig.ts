import { ConfigError } from '../errors/LookoutError.js';

/** `LOOKOUT_SECRET_KEY`, `EXCHANGE_SYNC_SECONDS`, `BINANCE_API_URL`, `COINBASE_API_URL`. */
export type ExchangesConfig = {
  /** The AES-256 key (32 bytes) of the exchange credentials; without it no account can be added or synced. */
  secretKey: Buffer | undefined;
  /** The text of `LOOKOUT_SECRET_KEY` as given, kept only so that logs redact it. */
  secretKeyText: string | undefined;
  syncMs: number;
  /** API hosts to use instead of the exchanges' own (a proxy, or a local server). */
  apiUrls: { binance?: string | undefined; coinbase?: string | undefined };
};

export const DEFAULT_EXCHANGES: ExchangesConfig = { secretKey: undefined, secretKeyText: undefined, syncMs: 60_000, apiUrls: {} };

const KEY_BYTES = 32;

/** Reads `LOOKOUT_SECRET_KEY`: 32 bytes as base64 (44 characters) or hex (64 characters). */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : /^[A-Za-z0-9+/]{43}=$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : null;
  if (!key || key.length !== KEY_BYTES) {
    throw new ConfigError('LOOKOUT_SECRET_KEY must be 32 bytes as base64 or hex; make one with openssl rand -base64 32.');
  }
  return key;
}

/** The exchange settings of the environment; a malformed one stops the start with one sentence. */
export function readExchangesConfig(env: Record<string, string | undefined>): ExchangesConfig {
  const text = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const secretKeyText = text('LOOKOUT_SECRET_KEY');
  const seconds = text('EXCHANGE_SYNC_SECONDS');
  if (seconds !== undefined && (!/^\d+$/.test(seconds) || Number(seconds) < 10 || Number(seconds) > 86_400)) {
    throw new ConfigError(`EXCHANGE_SYNC_SECONDS must be a whole number of seconds from 10 to 86400; '${seconds.slice(0, 20)}' is not one.`);
  }
  const apiUrls: ExchangesConfig['apiUrls'] = {};
  for (const [name, variable] of [
    ['binance', 'BINANCE_API_URL'],
    ['coinbase', 'COINBASE_API_URL'],
  ] as const) {
    const value = text(variable);
    if (value !== undefined && !/^https?:\/\/[^\s/?#]+/.test(value)) throw new ConfigError(`${variable} must be an http:// or https:// URL.`);
    apiUrls[name] = value;
  }
  return { secretKey: secretKeyText === undefined ? undefined : parseSecretKey(secretKeyText), secretKeyText, syncMs: Number(seconds ?? 60) * 1_000, apiUrls };
}

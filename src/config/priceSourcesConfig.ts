import { z } from 'zod';
import { ConfigError } from '../errors/LookoutError.js';

/** Every price source Lookout knows, in the order they are asked. */
export const PRICE_SOURCE_NAMES = ['chainlink', 'pyth', 'defillama', 'coingecko', 'dexscreener'] as const;
export type PriceSourceName = (typeof PRICE_SOURCE_NAMES)[number];

/** Which price sources are on, where DefiLlama lives, and how fresh current prices are kept. */
export type PriceSourcesConfig = {
  /** The sources on, in the order they are asked (on-chain first). */
  sources: PriceSourceName[];
  /** DefiLlama's coins API root (`DEFILLAMA_URL`); https://coins.llama.fi by default. */
  defillamaUrl: string;
  /** How often open positions' current prices are refreshed and unpriced trades retried (`PRICE_REFRESH_SECONDS`). */
  refreshMs: number;
  /** A current price older than this is marked stale (`PRICE_STALE_SECONDS`). */
  staleAfterMs: number;
};

export const DEFAULT_DEFILLAMA_URL = 'https://coins.llama.fi';
const DEFAULT_REFRESH_SECONDS = 300;
const DEFAULT_STALE_SECONDS = 3_600;

/** The `prices` object of the configuration file. */
export const priceSourcesFileSchema = z
  .object({
    sources: z.union([z.array(z.string()), z.string()]).optional(),
    defillamaUrl: z.string().optional(),
    refreshSeconds: z.number().int().min(10).max(86_400).optional(),
    staleAfterSeconds: z.number().int().min(10).max(30 * 86_400).optional(),
  })
  .strict()
  .optional();

type Env = Record<string, string | undefined>;
type PriceApiKind = 'coingecko' | 'dexscreener';

/**
 * `PRICE_SOURCES`, `DEFILLAMA_URL`, `PRICE_REFRESH_SECONDS` and `PRICE_STALE_SECONDS` over the file's `prices`.
 * The default is chainlink, pyth and defillama, plus the configured price API (coingecko or dexscreener).
 * Throws `ConfigError` naming an unknown source, or a source whose API is not configured.
 */
export function readPriceSourcesConfig(
  env: Env,
  file: z.infer<typeof priceSourcesFileSchema>,
  priceApiKind: PriceApiKind | undefined,
): PriceSourcesConfig {
  const fromEnv = nonEmpty(env.PRICE_SOURCES);
  const origin = fromEnv !== undefined ? 'PRICE_SOURCES' : 'prices.sources';
  const listed = fromEnv ?? file?.sources;
  const sources = listed === undefined ? defaultSources(priceApiKind) : parseSourceList(listed, origin, priceApiKind);

  const defillamaUrl = (nonEmpty(env.DEFILLAMA_URL) ?? file?.defillamaUrl ?? DEFAULT_DEFILLAMA_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/.test(defillamaUrl) || !URL.canParse(defillamaUrl)) {
    throw new ConfigError(`DEFILLAMA_URL must be an http:// or https:// URL such as ${DEFAULT_DEFILLAMA_URL}.`);
  }
  return {
    sources,
    defillamaUrl,
    refreshMs: 1_000 * (seconds(env.PRICE_REFRESH_SECONDS, 'PRICE_REFRESH_SECONDS', 10, 86_400) ?? file?.refreshSeconds ?? DEFAULT_REFRESH_SECONDS),
    staleAfterMs:
      1_000 * (seconds(env.PRICE_STALE_SECONDS, 'PRICE_STALE_SECONDS', 10, 30 * 86_400) ?? file?.staleAfterSeconds ?? DEFAULT_STALE_SECONDS),
  };
}

function defaultSources(priceApiKind: PriceApiKind | undefined): PriceSourceName[] {
  return ['chainlink', 'pyth', 'defillama', ...(priceApiKind ? [priceApiKind] : [])];
}

function parseSourceList(listed: string | string[], origin: string, priceApiKind: PriceApiKind | undefined): PriceSourceName[] {
  const names = (Array.isArray(listed) ? listed : listed.split(',')).map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  // Note: `none` alone turns every source off; Lookout then prices trades from their stablecoin legs only.
  if (names.length === 1 && names[0] === 'none') return [];
  for (const name of names) {
    if (!(PRICE_SOURCE_NAMES as readonly string[]).includes(name)) {
      throw new ConfigError(`${origin} names '${name.slice(0, 40)}', which is not a price source; use any of ${PRICE_SOURCE_NAMES.join(', ')} (or none).`);
    }
    if ((name === 'coingecko' || name === 'dexscreener') && priceApiKind !== name) {
      throw new ConfigError(`${origin} names ${name}, but no ${name} API is configured; set PRICE_API_URL (and PRICE_API_KEY) for it, or leave it out.`);
    }
  }
  // Asked in Lookout's fixed order whatever the order written: on-chain first.
  return PRICE_SOURCE_NAMES.filter((name) => names.includes(name));
}

function seconds(text: string | undefined, variable: string, min: number, max: number): number | undefined {
  const value = nonEmpty(text);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new ConfigError(`${variable} must be a whole number of seconds from ${min} to ${max}; '${value.slice(0, 20)}' is not one.`);
  }
  return parsed;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

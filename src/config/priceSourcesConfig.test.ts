import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/LookoutError.js';
import { loadConfig } from './loadConfig.js';

function folderWith(config?: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lookout-prices-config-'));
  if (config !== undefined) writeFileSync(path.join(dir, 'lookout.config.json'), JSON.stringify(config));
  return dir;
}

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('price sources configuration', () => {
  it('behavior: by default chainlink, pyth and defillama at coins.llama.fi; the configured price API joins them', () => {
    const defaults = loadConfig({}, folderWith()).prices;
    expect(defaults).toEqual({ sources: ['chainlink', 'pyth', 'defillama'], defillamaUrl: 'https://coins.llama.fi', refreshMs: 300_000, staleAfterMs: 3_600_000 });
    const withKey = loadConfig({ PRICE_API_URL: 'https://pro-api.coingecko.com/api/v3', PRICE_API_KEY: 'k' }, folderWith()).prices;
    expect(withKey.sources).toEqual(['chainlink', 'pyth', 'defillama', 'coingecko']);
    expect(loadConfig({ PRICE_API_URL: 'https://api.dexscreener.com' }, folderWith()).prices.sources).toContain('dexscreener');
  });

  it('behavior: PRICE_SOURCES turns each source on or off, in any case and order, and none turns all off', () => {
    expect(loadConfig({ PRICE_SOURCES: 'DefiLlama, chainlink' }, folderWith()).prices.sources).toEqual(['chainlink', 'defillama']);
    expect(loadConfig({ PRICE_SOURCES: 'pyth' }, folderWith()).prices.sources).toEqual(['pyth']);
    expect(loadConfig({ PRICE_SOURCES: 'none' }, folderWith()).prices.sources).toEqual([]);
    const coingecko = loadConfig({ PRICE_SOURCES: 'coingecko', PRICE_API_URL: 'http://127.0.0.1:9/api/v3', PRICE_API_KIND: 'coingecko' }, folderWith());
    expect(coingecko.prices.sources).toEqual(['coingecko']);
  });

  it('behavior: the file sets sources, the DefiLlama root and the intervals; the environment wins', () => {
    const file = { prices: { sources: ['chainlink', 'defillama'], defillamaUrl: 'http://127.0.0.1:8123/', refreshSeconds: 60, staleAfterSeconds: 900 } };
    expect(loadConfig({}, folderWith(file)).prices).toEqual({
      sources: ['chainlink', 'defillama'],
      defillamaUrl: 'http://127.0.0.1:8123',
      refreshMs: 60_000,
      staleAfterMs: 900_000,
    });
    const env = { PRICE_SOURCES: 'pyth', DEFILLAMA_URL: 'http://127.0.0.1:9', PRICE_REFRESH_SECONDS: '30', PRICE_STALE_SECONDS: '120' };
    expect(loadConfig(env, folderWith(file)).prices).toEqual({ sources: ['pyth'], defillamaUrl: 'http://127.0.0.1:9', refreshMs: 30_000, staleAfterMs: 120_000 });
  });

  it('error: an unknown source is refused in one line naming it, and so is a source whose API is not configured', () => {
    expect(configError(() => loadConfig({ PRICE_SOURCES: 'chainlink,llama' }, folderWith()))).toMatch(
      /^PRICE_SOURCES names 'llama', which is not a price source; use any of chainlink, pyth, defillama, coingecko, dexscreener/,
    );
    expect(configError(() => loadConfig({}, folderWith({ prices: { sources: ['chainlink', 'cmc'] } })))).toMatch(/^prices\.sources names 'cmc'/);
    expect(configError(() => loadConfig({ PRICE_SOURCES: 'coingecko' }, folderWith()))).toMatch(/no coingecko API is configured; set PRICE_API_URL/);
    expect(configError(() => loadConfig({ DEFILLAMA_URL: 'coins.llama.fi' }, folderWith()))).toMatch(/DEFILLAMA_URL must be an http/);
    expect(configError(() => loadConfig({ PRICE_REFRESH_SECONDS: '5' }, folderWith()))).toMatch(/PRICE_REFRESH_SECONDS must be a whole number of seconds from 10/);
    expect(configError(() => loadConfig({}, folderWith({ prices: { source: ['pyth'] } })))).toMatch(/prices: unknown field 'source'/);
  });
});

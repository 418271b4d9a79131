import type { LookoutConfig } from './loadConfig.js';

/** The shortest text treated as a secret: shorter pieces (`/`, `/rpc`) are too common to hide everywhere. */
const MIN_SECRET_LENGTH = 6;

/**
 * Every configured value that must never appear in a log line, a reply or CLI output: bot tokens, API
 * keys, database passwords, and the path and query of RPC and API URLs (where providers put keys).
 */
export function configSecrets(config: LookoutConfig): string[] {
  const secrets = new Set<string>();
  const add = (value: string | undefined | null) => {
    if (value && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  };
  add(config.telegram?.token);
  add(config.discord?.token);
  add(config.quickchart?.key);
  add(config.priceApi?.key);
  for (const chain of config.chains) if (chain.kind === 'solana') add(chain.grpcToken);
  add(config.exchanges?.secretKeyText);
  const urls = [
    ...config.chains.flatMap((chain) => [
      ...chain.rpcUrls,
      chain.wsUrl,
      chain.kind === 'solana' ? chain.grpcUrl : null,
      // Note: a provider's Flashblocks URL carries its key in the path, as its RPC URL does.
      chain.kind === 'evm' ? chain.flashblocksUrl : null,
    ]),
    config.quickchart?.url,
    config.priceApi?.url,
    // Note: DefiLlama's Pro API puts its key in the path.
    config.prices.defillamaUrl,
    config.telegram?.webhookUrl,
  ];
  for (const url of urls) {
    if (!url) continue;
    const parsed = parseUrl(url);
    if (!parsed) {
      add(url);
      continue;
    }
    add(decodeURIComponent(parsed.password));
    add(parsed.password);
    if (parsed.pathname.length > 1 || parsed.search) add(`${parsed.pathname}${parsed.search}`);
    if (parsed.pathname.length > 1) add(parsed.pathname);
    if (parsed.search) add(parsed.search.slice(1));
    for (const value of parsed.searchParams.values()) add(value);
    for (const segment of parsed.pathname.split('/')) add(segment.length >= 16 ? segment : undefined);
  }
  const database = config.databaseUrl ? parseUrl(config.databaseUrl) : undefined;
  if (database?.password) {
    add(database.password);
    add(decodeURIComponent(database.password));
  }
  // Longest first, so a URL's path and query go as one piece before a key inside it is looked for.
  return [...secrets].sort((a, b) => b.length - a.length);
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

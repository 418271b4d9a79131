import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors/LookoutError.js';
import { isEvmAddress } from '../tracker/evmChecksum.js';
import { applySolanaFollowMode, applySolanaStream } from './solanaFollowMode.js';
import { parseSolanaAddress } from '../tracker/walletAddress.js';
import { isStellarAccount } from '../tracker/stellar/stellarAddress.js';
import { CHAIN_PRESETS, type ChainConfig } from './chainPresets.js';
import { readExchangesConfig, type ExchangesConfig } from './exchangesConfig.js';
import { readHttpConfig, type HttpConfig } from './httpConfig.js';
import { parseEvmFollowMode } from './evmFollowMode.js';
import { priceSourcesFileSchema, readPriceSourcesConfig, type PriceSourcesConfig } from './priceSourcesConfig.js';

export type LookoutConfig = {
  /** Every configured chain: the presets, overridden and extended by the file and the environment. */
  chains: ChainConfig[];
  /** The chains to follow (`LOOKOUT_CHAINS`, default all configured). */
  followed: ChainConfig[];
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  /** Where the configuration file was read from, when one was. */
  configFile: string | undefined;
  telegram:
    | { token: string; webhookUrl: string | undefined; apiRoot: string | undefined; webhookPort: number }
    | undefined;
  discord:
    | { token: string; applicationId: string | undefined; apiUrl: string | undefined; guildId: string | undefined }
    | undefined;
  quickchart: { url: string; key: string | undefined } | undefined;
  /** An external price API for current token prices, used only when configured. */
  priceApi?: PriceApiConfig | undefined;
  /** Which price sources are on and how fresh current prices are kept (`PRICE_SOURCES`, `DEFILLAMA_URL`, …). */
  prices: PriceSourcesConfig;
  /** When the holdings snapshot job runs (cron syntax); hourly by default. */
  snapshotCron: string;
  /** What one workspace or member may ask of a shared instance. */
  limits: LimitsConfig;
  /** The HTTP API, probes and metrics (`LOOKOUT_HTTP_PORT`, `LOOKOUT_HTTP_HOST`, `LOOKOUT_API_RATE_LIMIT`). */
  http: HttpConfig;
  /** Exchange accounts: the key that seals their API keys, how often they sync, and API hosts to use instead of the exchanges' own. */
  exchanges?: ExchangesConfig;
  /** This instance's name among several on one Postgres (`LOOKOUT_INSTANCE`, default the host name). */
  instance?: string | undefined;
  /** Webhook routes: whether they may post to loopback and private addresses (`LOOKOUT_WEBHOOK_ALLOW_PRIVATE=1`). */
  webhooks: { allowPrivate: boolean };
};

/** Limits that keep one chat from crowding out the others. */
export type LimitsConfig = {
  walletsPerWorkspace: number;
  groupsPerWorkspace: number;
  commandsPerMemberPerMinute: number;
  chartsPerWorkspacePerMinute: number;
};

export const DEFAULT_LIMITS: LimitsConfig = {
  walletsPerWorkspace: 500,
  groupsPerWorkspace: 50,
  commandsPerMemberPerMinute: 20,
  chartsPerWorkspacePerMinute: 10,
};

const LIMIT_VARIABLES: Record<keyof LimitsConfig, string> = {
  walletsPerWorkspace: 'LOOKOUT_MAX_WALLETS',
  groupsPerWorkspace: 'LOOKOUT_MAX_GROUPS',
  commandsPerMemberPerMinute: 'LOOKOUT_COMMANDS_PER_MINUTE',
  chartsPerWorkspacePerMinute: 'LOOKOUT_CHARTS_PER_MINUTE',
};

export type PriceApiConfig = {
  kind: 'coingecko' | 'dexscreener';
  /** The API root, e.g. https://api.coingecko.com/api/v3 or https://api.dexscreener.com. */
  url: string;
  key: string | undefined;
};

const PRICE_API_KINDS = ['coingecko', 'dexscreener'] as const;

type Env = Record<string, string | undefined>;

const httpUrl = z
  .string()
  .refine((value) => /^https?:\/\/[^\s]+$/.test(value) && isParsableUrl(value), { message: 'expected an http:// or https:// URL' });
const wsUrl = z
  .string()
  .refine((value) => /^wss?:\/\/[^\s]+$/.test(value) && isParsableUrl(value), { message: 'expected a ws:// or wss:// URL' });
const limit = z.number().int().min(1).max(1_000_000);

const chainOverride = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,31}$/, { message: 'expected a lower-case name of letters, digits and dashes' }),
    kind: z.enum(['evm', 'solana', 'bitcoin', 'stellar']).optional(),
    chainId: z.number().int().positive().optional(),
    rpcUrls: z.array(httpUrl).min(1, { message: 'expected at least one RPC URL' }).optional(),
    wsUrl: wsUrl.nullable().optional(),
    nativeSymbol: z.string().min(1).max(16).optional(),
    nativeDecimals: z.number().int().min(0).max(36).optional(),
    wrappedNative: z.string().nullable().optional(),
    stablecoins: z.array(z.string()).optional(),
    explorer: httpUrl.optional(),
    blockTimeMs: z.number().int().min(50).max(600_000).optional(),
    reorgWindow: z.number().int().min(0).max(10_000).optional(),
    multicall3: z.string().nullable().optional(),
    maxBlockRange: z.number().int().min(1).max(10_000).optional(),
    nativeUsdFeed: z.string().nullable().optional(),
    followMode: z.enum(['auto', 'addresses', 'blocks', 'grpc']).optional(),
    flashblocksUrl: httpUrl.nullable().optional(),
  })
  .strict();

const fileSchema = z
  .object({
    chains: z.array(chainOverride).optional(),
    databaseUrl: z.string().optional(),
    dataDir: z.string().optional(),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
    followChains: z.array(z.string()).optional(),
    telegram: z
      .object({
        token: z.string().min(1),
        webhookUrl: httpUrl.optional(),
        apiRoot: httpUrl.optional(),
        webhookPort: z.number().int().min(1).max(65_535).optional(),
      })
      .strict()
      .optional(),
    discord: z
      .object({
        token: z.string().min(1),
        applicationId: z.string().optional(),
        apiUrl: httpUrl.optional(),
        guildId: z.string().optional(),
      })
      .strict()
      .optional(),
    quickchart: z.object({ url: httpUrl, key: z.string().optional() }).strict().optional(),
    snapshotCron: z.string().optional(),
    priceApi: z.object({ kind: z.enum(PRICE_API_KINDS), url: httpUrl, key: z.string().optional() }).strict().optional(),
    prices: priceSourcesFileSchema,
    limits: z
      .object({
        walletsPerWorkspace: limit.optional(),
        groupsPerWorkspace: limit.optional(),
        commandsPerMemberPerMinute: limit.optional(),
        chartsPerWorkspacePerMinute: limit.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

type FileConfig = z.infer<typeof fileSchema>;
type ChainOverride = z.infer<typeof chainOverride>;

/** Reads the configuration from the environment and the optional JSON file, and validates it. Throws `ConfigError`. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): LookoutConfig {
  const { file, configFile } = readConfigFile(env, cwd);
  const chains = mergeChains(file.chains ?? [], configFile);
  // Note: before the shortcuts, which give every EVM chain its EVM_FOLLOW_MODE: a followMode found here came from the file.
  applySolanaFollowMode(chains, env);
  applyEnvShortcuts(chains, env);
  applySolanaStream(chains, env);
  for (const chain of chains) validateChain(chain, configFile);

  const selection = env.LOOKOUT_CHAINS !== undefined ? splitList(env.LOOKOUT_CHAINS) : file.followChains;
  const followed = selectChains(chains, selection, env.LOOKOUT_CHAINS !== undefined ? 'LOOKOUT_CHAINS' : 'followChains');

  const databaseUrl = nonEmpty(env.DATABASE_URL) ?? file.databaseUrl;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://; unset it to use the embedded database.');
  }
  const dataDir = path.resolve(cwd, nonEmpty(env.LOOKOUT_DATA_DIR) ?? file.dataDir ?? '.lookout');

  const logLevel = nonEmpty(env.LOG_LEVEL) ?? file.logLevel ?? 'info';
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL '${logLevel}' is not a level; use one of trace, debug, info, warn, error, silent.`);
  }

  const telegramToken = nonEmpty(env.TELEGRAM_BOT_TOKEN) ?? file.telegram?.token;
  const discordToken = nonEmpty(env.DISCORD_TOKEN) ?? file.discord?.token;
  const quickchartUrl = nonEmpty(env.QUICKCHART_URL) ?? file.quickchart?.url;
  for (const [name, value] of [
    ['TELEGRAM_WEBHOOK_URL', env.TELEGRAM_WEBHOOK_URL],
    ['TELEGRAM_API_ROOT', env.TELEGRAM_API_ROOT],
    ['DISCORD_API_URL', env.DISCORD_API_URL],
    ['QUICKCHART_URL', env.QUICKCHART_URL],
    ['PRICE_API_URL', env.PRICE_API_URL],
  ] as const) {
    if (nonEmpty(value) !== undefined && !httpUrl.safeParse(value?.trim()).success) {
      throw new ConfigError(`${name} must be an http:// or https:// URL; '${urlForMessage(value!.trim())}' is not one.`);
    }
  }

  const priceApi = readPriceApi(env, file);

  return {
    chains,
    followed,
    databaseUrl,
    dataDir,
    logLevel,
    configFile,
    telegram: telegramToken
      ? {
          token: telegramToken,
          webhookUrl: nonEmpty(env.TELEGRAM_WEBHOOK_URL) ?? file.telegram?.webhookUrl,
          apiRoot: (nonEmpty(env.TELEGRAM_API_ROOT) ?? file.telegram?.apiRoot)?.replace(/\/+$/, ''),
          webhookPort: port(env.TELEGRAM_WEBHOOK_PORT, 'TELEGRAM_WEBHOOK_PORT') ?? file.telegram?.webhookPort ?? 8080,
        }
      : undefined,
    discord: discordToken
      ? {
          token: discordToken,
          applicationId: nonEmpty(env.DISCORD_APPLICATION_ID) ?? file.discord?.applicationId,
          apiUrl: nonEmpty(env.DISCORD_API_URL) ?? file.discord?.apiUrl,
          guildId: nonEmpty(env.DISCORD_GUILD_ID) ?? file.discord?.guildId,
        }
      : undefined,
    quickchart: quickchartUrl
      ? { url: quickchartUrl, key: nonEmpty(env.QUICKCHART_KEY) ?? file.quickchart?.key }
      : undefined,
    snapshotCron: nonEmpty(env.LOOKOUT_SNAPSHOT_CRON) ?? file.snapshotCron ?? '0 * * * *',
    priceApi,
    prices: readPriceSourcesConfig(env, file.prices, priceApi?.kind),
    limits: readLimits(env, file),
    http: readHttpConfig(env),
    exchanges: readExchangesConfig(env),
    instance: readInstanceName(env.LOOKOUT_INSTANCE),
    webhooks: { allowPrivate: env.LOOKOUT_WEBHOOK_ALLOW_PRIVATE === '1' || env.LOOKOUT_WEBHOOK_ALLOW_PRIVATE === 'true' },
  };
}

/** `LOOKOUT_INSTANCE`: a short printable name that tells this instance's leases apart from the others'. */
function readInstanceName(value: string | undefined): string | undefined {
  const name = nonEmpty(value)?.trim();
  if (name === undefined) return undefined;
  if (name.length > 64 || !/^[\w.:@-]+$/.test(name)) {
    throw new ConfigError('LOOKOUT_INSTANCE must be at most 64 letters, digits or . _ - : @, such as lookout-1.');
  }
  return name;
}

function readLimits(env: Env, file: FileConfig): LimitsConfig {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(LIMIT_VARIABLES) as (keyof LimitsConfig)[]) {
    const variable = LIMIT_VARIABLES[key];
    const text = nonEmpty(env[variable]);
    if (text !== undefined) {
      const value = Number(text);
      if (!/^\d+$/.test(text) || !limit.safeParse(value).success) {
        throw new ConfigError(`${variable} must be a whole number from 1 to 1000000; '${text.slice(0, 20)}' is not one.`);
      }
      limits[key] = value;
    } else if (file.limits?.[key] !== undefined) {
      limits[key] = file.limits[key];
    }
  }
  return limits;
}

/** Whether WHATWG URL parsing accepts it: a port over 65535 or a bad host passes a pattern but not this. */
function isParsableUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A URL as an error message may show it: scheme and host, never credentials, path or query, which
 * often carry API keys. Works on text that does not parse as a URL too.
 */
export function urlForMessage(value: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)(.*)$/i.exec(value);
  const scheme = match?.[1] ?? '';
  const authority = (match?.[2] ?? '').replace(/^.*@/, '');
  const rest = match?.[3] ?? '';
  return `${scheme}${authority.slice(0, 80)}${rest.length > 1 || value.includes('@') ? '/…' : rest}`;
}

/** PRICE_API_* over the file's `priceApi`; the kind may be left out when the URL names the service. */
function readPriceApi(env: Env, file: FileConfig): PriceApiConfig | undefined {
  const url = (nonEmpty(env.PRICE_API_URL) ?? file.priceApi?.url)?.replace(/\/+$/, '');
  const kindText = nonEmpty(env.PRICE_API_KIND)?.toLowerCase() ?? file.priceApi?.kind;
  if (kindText !== undefined && !(PRICE_API_KINDS as readonly string[]).includes(kindText)) {
    throw new ConfigError(`PRICE_API_KIND '${kindText}' is not supported; use coingecko or dexscreener.`);
  }
  if (url === undefined) {
    if (kindText !== undefined) throw new ConfigError('PRICE_API_KIND is set without PRICE_API_URL; set the API root URL too.');
    return undefined;
  }
  const kind = (kindText ?? PRICE_API_KINDS.find((name) => url.toLowerCase().includes(name))) as PriceApiConfig['kind'] | undefined;
  if (kind === undefined) {
    throw new ConfigError('PRICE_API_URL does not name coingecko or dexscreener; set PRICE_API_KIND to the one it speaks.');
  }
  return { kind, url, key: nonEmpty(env.PRICE_API_KEY) ?? file.priceApi?.key };
}

function readConfigFile(env: Env, cwd: string): { file: FileConfig; configFile: string | undefined } {
  const explicit = nonEmpty(env.LOOKOUT_CONFIG);
  const configFile = path.resolve(cwd, explicit ?? 'lookout.config.json');
  if (!existsSync(configFile)) {
    if (explicit !== undefined) {
      throw new ConfigError(`LOOKOUT_CONFIG points to ${configFile}, which does not exist; fix the path or unset it.`);
    }
    return { file: {}, configFile: undefined };
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(configFile, 'utf8'));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigError(`${configFile} is not valid JSON (${reason}); fix the syntax.`, { cause });
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(describeIssue(parsed.error.issues[0], configFile));
  return { file: parsed.data, configFile };
}

function describeIssue(issue: z.core.$ZodIssue | undefined, configFile: string): string {
  if (!issue) return `${configFile} is invalid.`;
  const field = issue.path.length
    ? issue.path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`)).join('')
    : 'the top level';
  let fix = issue.message;
  if (issue.code === 'unrecognized_keys') fix = `unknown field ${issue.keys.map((k) => `'${k}'`).join(', ')}; remove it or check its spelling`;
  return `Invalid configuration in ${path.basename(configFile)}: ${field}: ${fix}.`;
}

function mergeChains(overrides: ChainOverride[], configFile: string | undefined): ChainConfig[] {
  const chains = CHAIN_PRESETS.map((preset) => ({ ...preset, rpcUrls: [...preset.rpcUrls], stablecoins: [...preset.stablecoins] }));
  const where = configFile ? path.basename(configFile) : 'the configuration';
  overrides.forEach((override, index) => {
    const field = `chains[${index}]`;
    const existing = chains.find((chain) => chain.name === override.name);
    if (existing) {
      if (override.kind && override.kind !== existing.kind) {
        throw new ConfigError(`Invalid configuration in ${where}: ${field}.kind: '${override.name}' is a built-in ${existing.kind} chain; remove the kind or pick another name.`);
      }
      Object.assign(existing, definedFields(override));
      return;
    }
    if (override.kind !== 'evm') {
      throw new ConfigError(`Invalid configuration in ${where}: ${field}.kind: a custom chain must have "kind": "evm" (only EVM chains can be added).`);
    }
    if (override.chainId === undefined) {
      throw new ConfigError(`Invalid configuration in ${where}: ${field}.chainId: a custom EVM chain needs its numeric chainId.`);
    }
    if (!override.rpcUrls) {
      throw new ConfigError(`Invalid configuration in ${where}: ${field}.rpcUrls: a custom EVM chain needs at least one RPC URL.`);
    }
    chains.push({
      name: override.name,
      kind: 'evm',
      chainId: override.chainId,
      rpcUrls: override.rpcUrls,
      wsUrl: override.wsUrl ?? null,
      nativeSymbol: override.nativeSymbol ?? 'ETH',
      nativeDecimals: override.nativeDecimals ?? 18,
      wrappedNative: override.wrappedNative ?? null,
      stablecoins: override.stablecoins ?? [],
      explorer: override.explorer ?? 'https://etherscan.io',
      blockTimeMs: override.blockTimeMs ?? 2_000,
      reorgWindow: override.reorgWindow ?? 64,
      multicall3: override.multicall3 ?? null,
      maxBlockRange: override.maxBlockRange ?? 100,
      nativeUsdFeed: override.nativeUsdFeed ?? null,
      flashblocksUrl: override.flashblocksUrl ?? null,
    });
  });
  return chains;
}

function definedFields(override: ChainOverride): Partial<ChainConfig> {
  return Object.fromEntries(Object.entries(override).filter(([, value]) => value !== undefined)) as Partial<ChainConfig>;
}

const RPC_SHORTCUTS: Record<string, string> = {
  base: 'BASE_RPC_URL',
  sonic: 'SONIC_RPC_URL',
  ethereum: 'ETHEREUM_RPC_URL',
  solana: 'SOLANA_RPC_URL',
  bitcoin: 'BITCOIN_API_URL',
  stellar: 'STELLAR_HORIZON_URL',
};

/** The environment variable that sets a preset chain's RPC URLs, such as BASE_RPC_URL; undefined for a custom chain. */
export function rpcVariableOf(chainName: string): string | undefined {
  return RPC_SHORTCUTS[chainName];
}

function applyEnvShortcuts(chains: ChainConfig[], env: Env): void {
  for (const chain of chains) {
    const variable = RPC_SHORTCUTS[chain.name];
    const value = variable ? nonEmpty(env[variable]) : undefined;
    if (variable && value !== undefined) {
      const urls = splitList(value);
      const bad = urls.find((url) => !httpUrl.safeParse(url).success);
      if (bad !== undefined || urls.length === 0) {
        const shown = bad === undefined ? '' : `; '${urlForMessage(bad)}' is not one`;
        throw new ConfigError(`${variable} must be one or more http(s) URLs separated by commas${shown}.`);
      }
      chain.rpcUrls = urls;
    }
  }
  for (const chain of chains) {
    const variable = `${chain.name.toUpperCase().replace(/-/g, '_')}_FLASHBLOCKS_URL`;
    const value = nonEmpty(env[variable]);
    if (value === undefined) continue;
    if (chain.kind !== 'evm') throw new ConfigError(`${variable} is for EVM chains; '${chain.name}' is a ${chain.kind} chain. Remove it.`);
    if (!httpUrl.safeParse(value).success) throw new ConfigError(`${variable} must be an http:// or https:// URL; '${urlForMessage(value)}' is not one.`);
    chain.flashblocksUrl = value;
  }
  const followMode = parseEvmFollowMode(env.EVM_FOLLOW_MODE);
  for (const chain of chains) if (chain.kind === 'evm') chain.followMode = followMode;
  const solanaWs = nonEmpty(env.SOLANA_WS_URL);
  if (solanaWs !== undefined) {
    if (!wsUrl.safeParse(solanaWs).success) {
      throw new ConfigError(`SOLANA_WS_URL must be a ws:// or wss:// URL; '${urlForMessage(solanaWs)}' is not one.`);
    }
    const solana = chains.find((chain) => chain.name === 'solana');
    if (solana) solana.wsUrl = solanaWs;
  }
}

function validateChain(chain: ChainConfig, configFile: string | undefined): void {
  const where = configFile ? path.basename(configFile) : 'the configuration';
  const isAsset = ASSET_FORMATS[chain.kind].is;
  const expected = ASSET_FORMATS[chain.kind].expected;
  const check = (field: string, value: string | null) => {
    if (value !== null && !isAsset(value)) {
      throw new ConfigError(`Invalid configuration in ${where}: chain '${chain.name}' ${field}: '${value}' is not ${expected}.`);
    }
  };
  if (chain.kind !== 'evm' && (chain as { flashblocksUrl?: unknown }).flashblocksUrl) {
    throw new ConfigError(`Invalid configuration in ${where}: chain '${chain.name}' flashblocksUrl: Flashblocks are for EVM chains; remove it.`);
  }
  check('wrappedNative', chain.wrappedNative);
  check('multicall3', chain.multicall3);
  check('nativeUsdFeed', chain.nativeUsdFeed ?? null);
  chain.stablecoins.forEach((coin, i) => check(`stablecoins[${i}]`, coin));
  if (chain.kind === 'evm') {
    chain.wrappedNative = chain.wrappedNative?.toLowerCase() ?? null;
    chain.multicall3 = chain.multicall3?.toLowerCase() ?? null;
    chain.nativeUsdFeed = chain.nativeUsdFeed?.toLowerCase() ?? null;
    chain.stablecoins = chain.stablecoins.map((coin) => coin.toLowerCase());
  }
}

/** How an asset (token, feed, contract) of each kind of chain is written in the configuration. */
const ASSET_FORMATS: Record<ChainConfig['kind'], { is: (value: string) => boolean; expected: string }> = {
  evm: { is: isEvmAddress, expected: 'a 0x address of 40 hex digits (with a valid checksum if mixed-case)' },
  solana: { is: isSolanaAddress, expected: 'a base58 Solana address' },
  bitcoin: { is: () => false, expected: 'anything: Bitcoin has no tokens, so leave it empty' },
  stellar: { is: isStellarAsset, expected: 'a Stellar asset written CODE:ISSUER (ISSUER a G… account)' },
};

function isStellarAsset(value: string): boolean {
  const [code, issuer, ...rest] = value.split(':');
  return rest.length === 0 && code !== undefined && /^[A-Za-z0-9]{1,12}$/.test(code) && issuer !== undefined && isStellarAccount(issuer);
}

function selectChains(chains: ChainConfig[], names: string[] | undefined, source: string): ChainConfig[] {
  if (names === undefined || names.length === 0) return chains;
  return names.map((name) => {
    const chain = chains.find((candidate) => candidate.name === name.toLowerCase());
    if (!chain) {
      throw new ConfigError(`${source} names unknown chain '${name}'; configured chains are ${chains.map((c) => c.name).join(', ')}.`);
    }
    return chain;
  });
}

function isSolanaAddress(value: string): boolean {
  try {
    return parseSolanaAddress(value) === value;
  } catch {
    return false;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function port(value: string | undefined, name: string): number | undefined {
  const text = nonEmpty(value);
  if (text === undefined) return undefined;
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1 || number > 65_535) throw new ConfigError(`${name} must be a port number from 1 to 65535.`);
  return number;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

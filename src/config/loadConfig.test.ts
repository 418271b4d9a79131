import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/LookoutError.js';
import { loadConfig } from './loadConfig.js';

const EXAMPLE = {
  chains: [
    {
      name: 'localbase',
      kind: 'evm',
      chainId: 31337,
      rpcUrls: ['http://127.0.0.1:8545'],
      nativeSymbol: 'ETH',
      wrappedNative: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      stablecoins: ['0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'],
      blockTimeMs: 1000,
      explorer: 'https://basescan.org',
    },
  ],
};

function folderWith(config?: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lookout-config-'));
  if (config !== undefined) writeFileSync(path.join(dir, 'lookout.config.json'), JSON.stringify(config));
  return dir;
}

function expectConfigError(run: () => unknown, pattern: RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toMatch(pattern);
  expect((error as Error).message).not.toContain('\n');
}

describe('loadConfig', () => {
  it('behavior: with no configuration, follows the four presets on the embedded database', () => {
    const config = loadConfig({}, folderWith());
    expect(config.followed.map((chain) => chain.name)).toEqual(['base', 'sonic', 'ethereum', 'solana', 'bitcoin', 'stellar']);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.lookout$/);
    const base = config.chains.find((chain) => chain.name === 'base')!;
    expect(base).toMatchObject({ chainId: 8453, nativeSymbol: 'ETH', explorer: 'https://basescan.org' });
    expect(base.stablecoins).toContain('0x833589fcd6edb6e08f4c7c32d4f71b54bda02913');
    expect(config.chains.find((chain) => chain.name === 'sonic')).toMatchObject({ chainId: 146, reorgWindow: 0 });
  });

  it('behavior: the example file adds a custom EVM chain, with addresses in lower case', () => {
    const config = loadConfig({}, folderWith(EXAMPLE));
    const local = config.chains.find((chain) => chain.name === 'localbase')!;
    expect(local).toMatchObject({
      kind: 'evm',
      chainId: 31337,
      rpcUrls: ['http://127.0.0.1:8545'],
      wrappedNative: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      stablecoins: ['0xe7f1725e7734ce288f8367e1bb143e90bb3f0512'],
      blockTimeMs: 1000,
    });
    expect(config.followed.map((chain) => chain.name)).toContain('localbase');
  });

  it('behavior: LOOKOUT_CHAINS picks the chains and RPC shortcuts override presets with failover lists', () => {
    const config = loadConfig(
      { LOOKOUT_CHAINS: 'localbase, solana', SOLANA_RPC_URL: 'http://127.0.0.1:1,http://127.0.0.1:2', SOLANA_WS_URL: 'ws://127.0.0.1:3' },
      folderWith(EXAMPLE),
    );
    expect(config.followed.map((chain) => chain.name)).toEqual(['localbase', 'solana']);
    expect(config.followed[1]).toMatchObject({ rpcUrls: ['http://127.0.0.1:1', 'http://127.0.0.1:2'], wsUrl: 'ws://127.0.0.1:3' });
  });

  it('behavior: a preset field can be overridden from the file', () => {
    const config = loadConfig({}, folderWith({ chains: [{ name: 'ethereum', blockTimeMs: 6000, rpcUrls: ['http://127.0.0.1:9'] }] }));
    expect(config.chains.find((chain) => chain.name === 'ethereum')).toMatchObject({ blockTimeMs: 6000, chainId: 1, rpcUrls: ['http://127.0.0.1:9'] });
  });

  it('behavior: native USD feeds default per chain, can be overridden, and a price API comes from the file or the environment', () => {
    const defaults = loadConfig({}, folderWith());
    const feed = (config: ReturnType<typeof loadConfig>, name: string) => config.chains.find((chain) => chain.name === name)?.nativeUsdFeed;
    expect(feed(defaults, 'ethereum')).toBe('0x5f4ec3df9cbd43714fe2740f5e3616155c5b8419');
    expect(feed(defaults, 'base')).toBe('0x71041dddad3595f9ced3dccfbe3d1f4b0a16bb70');
    expect(feed(defaults, 'sonic')).toBeNull();
    expect(feed(defaults, 'solana')).toBe('7UVimffxr9ow1uXYxsr4LHAcV58mLzhmwaeKvJ1pjLiE');
    expect(defaults.priceApi).toBeUndefined();

    const file = {
      chains: [
        { ...EXAMPLE.chains[0], nativeUsdFeed: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0' },
        { name: 'sonic', nativeUsdFeed: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9' },
        { name: 'base', nativeUsdFeed: null },
      ],
      priceApi: { kind: 'coingecko', url: 'https://pro-api.coingecko.com/api/v3/', key: 'from-file' },
    };
    const configured = loadConfig({ PRICE_API_KEY: 'from-env' }, folderWith(file));
    expect(feed(configured, 'localbase')).toBe('0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0');
    expect(feed(configured, 'sonic')).toBe('0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9');
    expect(feed(configured, 'base')).toBeNull();
    expect(configured.priceApi).toEqual({ kind: 'coingecko', url: 'https://pro-api.coingecko.com/api/v3', key: 'from-env' });

    const fromEnv = loadConfig({ PRICE_API_URL: 'https://api.dexscreener.com' }, folderWith());
    expect(fromEnv.priceApi).toEqual({ kind: 'dexscreener', url: 'https://api.dexscreener.com', key: undefined });
    const local = loadConfig({ PRICE_API_URL: 'http://127.0.0.1:9/api/v3', PRICE_API_KIND: 'CoinGecko' }, folderWith());
    expect(local.priceApi).toEqual({ kind: 'coingecko', url: 'http://127.0.0.1:9/api/v3', key: undefined });
  });

  it('error: rejects a bad native USD feed address and an incomplete or unknown price API', () => {
    const badFeed = { chains: [{ name: 'base', nativeUsdFeed: '0x71041dddad3595F9CEd3DcCFBe3D1F4b0a16Bb7O' }] };
    expectConfigError(() => loadConfig({}, folderWith(badFeed)), /chain 'base' nativeUsdFeed: .* is not a 0x address/);
    const evmOnSolana = { chains: [{ name: 'solana', nativeUsdFeed: '0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419' }] };
    expectConfigError(() => loadConfig({}, folderWith(evmOnSolana)), /chain 'solana' nativeUsdFeed: .* is not a base58 Solana address/);
    expectConfigError(() => loadConfig({ PRICE_API_URL: 'http://127.0.0.1:9' }, folderWith()), /set PRICE_API_KIND/);
    expectConfigError(() => loadConfig({ PRICE_API_KIND: 'coingecko' }, folderWith()), /without PRICE_API_URL/);
    expectConfigError(() => loadConfig({ PRICE_API_URL: 'https://api.coingecko.com', PRICE_API_KIND: 'cmc' }, folderWith()), /PRICE_API_KIND 'cmc' is not supported/);
    expectConfigError(() => loadConfig({ PRICE_API_URL: 'api.coingecko.com' }, folderWith()), /PRICE_API_URL must be an http/);
    expectConfigError(() => loadConfig({}, folderWith({ priceApi: { kind: 'coingecko' } })), /priceApi\.url/);
  });

  it('error: names the field and the fix for a bad value in the file', () => {
    const bad = { chains: [{ ...EXAMPLE.chains[0], rpcUrls: ['ftp://x'] }] };
    expectConfigError(() => loadConfig({}, folderWith(bad)), /chains\[0\]\.rpcUrls\[0\]: expected an http/);
  });

  it('error: rejects an unknown field, a bad checksum, a missing chainId, and broken JSON', () => {
    expectConfigError(() => loadConfig({}, folderWith({ chain: [] })), /unknown field 'chain'/);
    const badChecksum = { chains: [{ ...EXAMPLE.chains[0], wrappedNative: '0x5FbDB2315678afecb367f032d93F642f64180aA3' }] };
    expectConfigError(() => loadConfig({}, folderWith(badChecksum)), /localbase' wrappedNative/);
    const noId = { chains: [{ name: 'mine', kind: 'evm', rpcUrls: ['http://127.0.0.1:1'] }] };
    expectConfigError(() => loadConfig({}, folderWith(noId)), /chains\[0\]\.chainId: a custom EVM chain needs/);
    const dir = folderWith();
    writeFileSync(path.join(dir, 'lookout.config.json'), '{"chains": [');
    expectConfigError(() => loadConfig({}, dir), /not valid JSON/);
  });

  it('error: rejects an unknown chain in LOOKOUT_CHAINS, a bad DATABASE_URL and a missing LOOKOUT_CONFIG', () => {
    expectConfigError(() => loadConfig({ LOOKOUT_CHAINS: 'base,polygon' }, folderWith()), /unknown chain 'polygon'; configured chains are base/);
    expectConfigError(() => loadConfig({ DATABASE_URL: 'mysql://x' }, folderWith()), /DATABASE_URL must start with postgres/);
    expectConfigError(() => loadConfig({ LOOKOUT_CONFIG: 'nope.json' }, folderWith()), /does not exist/);
    expectConfigError(() => loadConfig({ BASE_RPC_URL: 'not a url' }, folderWith()), /BASE_RPC_URL must be/);
  });
  it('error: an RPC URL that does not parse (port 99999) exits as bad configuration, naming the field with the key hidden', () => {
    const bad = 'https://host:99999/v2/KEY123456789?apikey=KEY123456789';
    expectConfigError(() => loadConfig({ BASE_RPC_URL: bad }, folderWith()), /^BASE_RPC_URL must be .*'https:\/\/host:99999\/…' is not one\.$/);
    try {
      loadConfig({ BASE_RPC_URL: bad }, folderWith());
    } catch (error) {
      expect((error as Error).message).not.toContain('KEY123456789');
    }
    expectConfigError(() => loadConfig({}, folderWith({ chains: [{ ...EXAMPLE.chains[0], rpcUrls: [bad] }] })), /chains\[0\]\.rpcUrls\[0\]: expected an http/);
    expectConfigError(() => loadConfig({ QUICKCHART_URL: 'http://user:secret@host:70000/x' }, folderWith()), /^QUICKCHART_URL must be .*'http:\/\/host:70000\/…'/);
  });

  it('behavior: limits have defaults and come from the file or the environment; a bad one is refused', () => {
    expect(loadConfig({}, folderWith()).limits).toEqual({
      walletsPerWorkspace: 500,
      groupsPerWorkspace: 50,
      commandsPerMemberPerMinute: 20,
      chartsPerWorkspacePerMinute: 10,
    });
    const config = loadConfig({ LOOKOUT_MAX_WALLETS: '3' }, folderWith({ limits: { groupsPerWorkspace: 2 } }));
    expect(config.limits).toMatchObject({ walletsPerWorkspace: 3, groupsPerWorkspace: 2 });
    expectConfigError(() => loadConfig({ LOOKOUT_COMMANDS_PER_MINUTE: 'lots' }, folderWith()), /LOOKOUT_COMMANDS_PER_MINUTE must be a whole number/);
  });

  it('behavior: BASE_FLASHBLOCKS_URL and a chain file\'s flashblocksUrl turn preconfirmations on; off by default', () => {
    expect(loadConfig({}, folderWith()).chains.find((chain) => chain.name === 'base')).not.toHaveProperty('flashblocksUrl', expect.any(String));
    const env = loadConfig({ BASE_FLASHBLOCKS_URL: 'https://mainnet-preconf.base.org' }, folderWith());
    expect(env.chains.find((chain) => chain.name === 'base')).toMatchObject({ flashblocksUrl: 'https://mainnet-preconf.base.org' });
    const file = loadConfig({}, folderWith({ chains: [{ ...EXAMPLE.chains[0], flashblocksUrl: 'http://127.0.0.1:9545' }] }));
    expect(file.chains.find((chain) => chain.name === 'localbase')).toMatchObject({ flashblocksUrl: 'http://127.0.0.1:9545' });
  });

  it('error: a Flashblocks URL that is not http(s), or on a chain that is not EVM, is refused in one sentence', () => {
    expectConfigError(() => loadConfig({ BASE_FLASHBLOCKS_URL: 'wss://mainnet.flashblocks.base.org/ws' }, folderWith()), /BASE_FLASHBLOCKS_URL must be an http/);
    expectConfigError(() => loadConfig({ SOLANA_FLASHBLOCKS_URL: 'https://x.example' }, folderWith()), /SOLANA_FLASHBLOCKS_URL is for EVM chains/);
    expectConfigError(() => loadConfig({}, folderWith({ chains: [{ name: 'solana', flashblocksUrl: 'https://x.example' }] })), /flashblocksUrl: Flashblocks are for EVM chains/);
  });
});

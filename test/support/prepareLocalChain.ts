import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deployUniswap, type UniswapWorld } from './evm/deployUniswap.js';
import { startAnvil, type Anvil } from './evm/startAnvil.js';
import { offlineEnv, runCli, tempFolder, type CliResult } from './lookoutProcess.js';
import { createScratchPostgres, postgresUrl } from './testDatabase.js';

export type LocalChain = {
  anvil: Anvil;
  world: UniswapWorld;
  /** The working folder of the spawned `lookout` processes, holding `lookout.config.json`. */
  cwd: string;
  env: Record<string, string>;
  /** Runs `lookout <args>` in that folder with that environment. */
  lookout(...args: string[]): Promise<CliResult>;
  /** Stops anvil and drops the scratch database. */
  cleanup(): Promise<void>;
};

/**
 * An anvil with Uniswap V2, and a Lookout configured for it as the chain `localbase` (like the example
 * in the README), on the embedded database, or on a scratch database when DATABASE_URL is set.
 */
export async function prepareLocalChain(
  options: {
    chain?: (world: UniswapWorld, anvil: Anvil) => Promise<Record<string, unknown>> | Record<string, unknown>;
    env?: Record<string, string>;
    /** The Postgres server to make the scratch database on; null for the embedded database. Default: DATABASE_URL. */
    postgresUrl?: string | null;
  } = {},
): Promise<LocalChain> {
  const anvil = await startAnvil();
  const world = await deployUniswap(anvil);
  const cwd = tempFolder();
  const chain = {
    name: 'localbase',
    kind: 'evm',
    chainId: anvil.chainId,
    rpcUrls: [anvil.url],
    nativeSymbol: 'ETH',
    wrappedNative: world.weth,
    stablecoins: [world.usdc],
    blockTimeMs: 300,
    explorer: 'https://basescan.org',
    ...(await options.chain?.(world, anvil)),
  };
  writeFileSync(path.join(cwd, 'lookout.config.json'), JSON.stringify({ chains: [chain] }));
  const env = offlineEnv({ LOOKOUT_CHAINS: 'localbase', LOOKOUT_DATA_DIR: path.join(cwd, 'data'), ...options.env });
  let drop: (() => Promise<void>) | undefined;
  const server = options.postgresUrl === undefined ? postgresUrl : options.postgresUrl;
  if (server) {
    const scratch = await createScratchPostgres(server);
    env.DATABASE_URL = scratch.url;
    drop = scratch.drop;
  }
  return {
    anvil,
    world,
    cwd,
    env,
    lookout: (...args) => runCli(args, { env, cwd }),
    async cleanup() {
      await anvil.stop();
      await drop?.();
    },
  };
}

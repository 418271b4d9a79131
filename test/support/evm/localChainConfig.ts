import type { EvmChainConfig } from '../../../src/config/chainPresets.js';
import { parseEvmFollowMode } from '../../../src/config/evmFollowMode.js';
import type { UniswapWorld } from './deployUniswap.js';
import type { Anvil } from './startAnvil.js';

/**
 * An EVM chain on a local anvil with the Uniswap world deployed on it: WETH as the wrapped native coin, its USDC
 * as the stablecoin, and the anvil (or a proxy in front of it) as the RPC. `EVM_FOLLOW_MODE` in the test's
 * environment forces a follow mode, so that the same tests run in both.
 */
export function localChainConfig(anvil: Anvil, world: UniswapWorld, overrides: Partial<EvmChainConfig> = {}): EvmChainConfig {
  return {
    name: 'localbase',
    kind: 'evm',
    chainId: anvil.chainId,
    rpcUrls: [anvil.url],
    wsUrl: null,
    nativeSymbol: 'ETH',
    nativeDecimals: 18,
    wrappedNative: world.weth.toLowerCase(),
    stablecoins: [world.usdc.toLowerCase()],
    explorer: 'https://basescan.org',
    blockTimeMs: 1000,
    reorgWindow: 64,
    multicall3: null,
    maxBlockRange: 100,
    followMode: parseEvmFollowMode(process.env.EVM_FOLLOW_MODE),
    ...overrides,
  };
}

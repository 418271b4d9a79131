import { createRequire } from 'node:module';
import type { Abi, Hex } from 'viem';

/** A contract as the npm build ships it, with the `0x` its bytecode lacks on disk. */
export type Artifact = { abi: Abi; bytecode: Hex };

/** The four contracts a Uniswap V2 deployment needs (the pair is deployed by the factory). */
export type UniswapV2Artifacts = { weth9: Artifact; factory: Artifact; pair: Artifact; router02: Artifact };

/**
 * The Uniswap V2 contracts from `@uniswap/v2-core` and `@uniswap/v2-periphery`.
 * Note: the npm Router02 hardcodes the init-code hash of the npm Pair (not mainnet's), so only these two fit together.
 */
export function loadUniswapV2Artifacts(): UniswapV2Artifacts {
  const require = createRequire(import.meta.url);
  const load = (id: string): Artifact => {
    const json = require(id) as { abi: Abi; bytecode: string };
    return { abi: json.abi, bytecode: json.bytecode.startsWith('0x') ? (json.bytecode as Hex) : `0x${json.bytecode}` };
  };
  return {
    weth9: load('@uniswap/v2-periphery/build/WETH9.json'),
    factory: load('@uniswap/v2-core/build/UniswapV2Factory.json'),
    pair: load('@uniswap/v2-core/build/UniswapV2Pair.json'),
    router02: load('@uniswap/v2-periphery/build/UniswapV2Router02.json'),
  };
}

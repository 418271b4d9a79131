import type { EvmChainConfig } from '../../config/chainPresets.js';
import type { FeeEstimate, NativeUsdPrice } from '../ChainDriver.js';
import { costOf, mapLevels, meanOf } from '../feeMath.js';
import { toDecimalString } from '../formatAmount.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';

/** Blocks of fee history read, and the priority-fee percentiles asked of each: slow, normal, fast. */
export const FEE_HISTORY_BLOCKS = 20;
export const FEE_PERCENTILES = [10, 50, 90] as const;
/** Gas of a plain native transfer, and the gas assumed for a swap (a Uniswap V2 swap of one hop uses about 150,000). */
export const TRANSFER_GAS = 21_000n;
export const SWAP_GAS = 150_000n;

/** `eth_feeHistory` as nodes answer it: hex quantities; `baseFeePerGas` has one more entry, the next block's. */
export type FeeHistory = { oldestBlock: string; baseFeePerGas: string[]; reward?: string[][] };

/**
 * The chain's fees now, from `eth_feeHistory` over the last 20 blocks: at each level, the next block's base fee
 * plus the mean of that percentile (10th, 50th, 90th) of the priority fees paid in each block, in gwei.
 */
export async function readEvmFeeEstimate(
  chain: EvmChainConfig,
  rpc: JsonRpcClient,
  nativeUsdPrice: () => Promise<NativeUsdPrice | null>,
  now = new Date(),
): Promise<FeeEstimate> {
  const [history, price] = await Promise.all([
    rpc.request<FeeHistory>('eth_feeHistory', [`0x${FEE_HISTORY_BLOCKS.toString(16)}`, 'latest', [...FEE_PERCENTILES]]),
    nativeUsdPrice().catch(() => null),
  ]);
  return evmFeeEstimate(chain, history, price?.priceUsd ?? null, now);
}

/** The estimate from a fee history answer; pure. */
export function evmFeeEstimate(chain: Pick<EvmChainConfig, 'name' | 'nativeDecimals'>, history: FeeHistory, priceUsd: string | null, observedAt: Date): FeeEstimate {
  const nextBase = BigInt(history.baseFeePerGas[history.baseFeePerGas.length - 1] ?? '0x0');
  const rewards = history.reward ?? [];
  const tip = (index: number) => meanOf(rewards.map((block) => BigInt(block[index] ?? '0x0')));
  const perGas = { slow: nextBase + tip(0), normal: nextBase + tip(1), fast: nextBase + tip(2) };
  const cost = (gas: bigint) => costOf({ slow: perGas.slow * gas, normal: perGas.normal * gas, fast: perGas.fast * gas }, chain.nativeDecimals, priceUsd);
  return {
    chain: chain.name,
    unit: 'gwei',
    levels: mapLevels(perGas, (wei) => toDecimalString(wei, 9)),
    baseFee: toDecimalString(nextBase, 9),
    nativeUsd: priceUsd,
    costs: [
      { action: 'transfer', units: `${TRANSFER_GAS} gas`, ...cost(TRANSFER_GAS) },
      { action: 'swap', units: `${SWAP_GAS} gas`, ...cost(SWAP_GAS) },
    ],
    observedAt,
  };
}

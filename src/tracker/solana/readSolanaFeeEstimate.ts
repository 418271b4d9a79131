import type { Connection } from '@solana/web3.js';
import type { SolanaChainConfig } from '../../config/chainPresets.js';
import type { FeeEstimate, NativeUsdPrice } from '../ChainDriver.js';
import { costOf, mapLevels, percentile } from '../feeMath.js';

/** The base fee of one signature, in lamports. */
export const LAMPORTS_PER_SIGNATURE = 5_000n;
/**
 * Compute units assumed: a SOL transfer with the two Compute Budget instructions that set its priority fee uses
 * about 450; a swap through an aggregator asks for about 200,000. One signature each.
 */
export const TRANSFER_COMPUTE_UNITS = 450n;
export const SWAP_COMPUTE_UNITS = 200_000n;
export const PRIORITY_PERCENTILES = { slow: 25, normal: 50, fast: 75 } as const;

/** One entry of `getRecentPrioritizationFees`: the lowest priority fee that landed in a recent slot, micro-lamports per CU. */
export type PrioritizationFee = { slot: number; prioritizationFee: number };

/** The chain's fees now, from `getRecentPrioritizationFees` (the node's last 150 slots) and the base fee per signature. */
export async function readSolanaFeeEstimate(
  chain: SolanaChainConfig,
  connection: Connection,
  nativeUsdPrice: () => Promise<NativeUsdPrice | null>,
  now = new Date(),
): Promise<FeeEstimate> {
  const [fees, price] = await Promise.all([connection.getRecentPrioritizationFees(), nativeUsdPrice().catch(() => null)]);
  return solanaFeeEstimate(chain, fees, price?.priceUsd ?? null, now);
}

/**
 * The estimate from the recent prioritization fees: the 25th, 50th and 75th percentiles of the slots' fees
 * (nearest rank), and what a transfer and a swap cost at each; pure.
 */
export function solanaFeeEstimate(
  chain: Pick<SolanaChainConfig, 'name' | 'nativeDecimals'>,
  fees: readonly PrioritizationFee[],
  priceUsd: string | null,
  observedAt: Date,
): FeeEstimate {
  const samples = fees.map((fee) => BigInt(fee.prioritizationFee));
  const at = (p: number) => (samples.length ? percentile(samples, p) : 0n);
  const microLamports = { slow: at(PRIORITY_PERCENTILES.slow), normal: at(PRIORITY_PERCENTILES.normal), fast: at(PRIORITY_PERCENTILES.fast) };
  // Note: the priority fee is micro-lamports per CU times the CU limit, rounded up to a lamport.
  const lamports = (units: bigint, fee: bigint) => LAMPORTS_PER_SIGNATURE + (fee * units + 999_999n) / 1_000_000n;
  const cost = (units: bigint) =>
    costOf({ slow: lamports(units, microLamports.slow), normal: lamports(units, microLamports.normal), fast: lamports(units, microLamports.fast) }, chain.nativeDecimals, priceUsd);
  return {
    chain: chain.name,
    unit: 'micro-lamports/CU',
    levels: mapLevels(microLamports, (value) => value.toString()),
    baseFee: LAMPORTS_PER_SIGNATURE.toString(),
    nativeUsd: priceUsd,
    costs: [
      { action: 'transfer', units: `${TRANSFER_COMPUTE_UNITS} CU`, ...cost(TRANSFER_COMPUTE_UNITS) },
      { action: 'swap', units: `${SWAP_COMPUTE_UNITS} CU`, ...cost(SWAP_COMPUTE_UNITS) },
    ],
    observedAt,
  };
}

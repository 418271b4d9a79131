import type { ChainConfig } from '../config/chainPresets.js';
import type { LookoutConfig } from '../config/loadConfig.js';
import { createLogger } from '../logger.js';
import type { ChainDriver, FeeEstimate } from '../tracker/ChainDriver.js';
import { NO_CHAIN_STORE } from '../tracker/ChainStore.js';
import { createDriver } from '../tracker/chainKinds.js';
import { mapLevels, usdOfDecimal } from '../tracker/feeMath.js';
import { NATIVE } from '../tracker/walletDeltas.js';
import type { CurrentPrice } from './UseCaseDeps.js';

/** How long one chain may take to answer before it is said not to answer; the others still show. */
const CHAIN_TIMEOUT_MS = 15_000;

/** One followed chain's fees, or why there are none. */
export type GasEstimate =
  | { chain: string; status: 'ok'; estimate: FeeEstimate }
  | { chain: string; status: 'unreachable'; reason: string }
  | { chain: string; status: 'unsupported' };

export type GasDeps = {
  config: Pick<LookoutConfig, 'followed'>;
  /** The native coin's price when the chain's own feed gives none. */
  prices?: CurrentPrice | undefined;
  /** Builds a chain's driver; default: the chain kind's driver, with no store (it only reads the chain). */
  openDriver?: (chain: ChainConfig) => Promise<ChainDriver>;
  timeoutMs?: number;
};

/** The current fees of every followed chain, asked side by side: a chain whose RPC does not answer is reported as such. */
export async function gasEstimates(deps: GasDeps): Promise<GasEstimate[]> {
  // Note: an unreachable RPC is said in the answer, not in log lines.
  const logger = createLogger({ level: 'silent' });
  const openDriver = deps.openDriver ?? ((chain: ChainConfig) => createDriver(chain, { store: NO_CHAIN_STORE, logger }));
  return Promise.all(deps.config.followed.map((chain) => estimateOne(chain, openDriver, deps)));
}

async function estimateOne(chain: ChainConfig, openDriver: (chain: ChainConfig) => Promise<ChainDriver>, deps: GasDeps): Promise<GasEstimate> {
  let driver: ChainDriver | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    driver = await openDriver(chain);
    if (!driver.feeEstimate) return { chain: chain.name, status: 'unsupported' };
    const timeoutMs = deps.timeoutMs ?? CHAIN_TIMEOUT_MS;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GasTimeout(`no answer within ${timeoutMs / 1_000} s`)), timeoutMs);
    });
    const estimate = await Promise.race([driver.feeEstimate(), timeout]);
    return { chain: chain.name, status: 'ok', estimate: await withPrice(estimate, deps.prices) };
  } catch (error) {
    // Note: a node's error can quote its URL, keys included; the answer says only that it failed.
    return { chain: chain.name, status: 'unreachable', reason: error instanceof GasTimeout ? error.message : 'its RPC did not answer' };
  } finally {
    clearTimeout(timer);
    await driver?.close().catch(() => {});
  }
}

class GasTimeout extends Error {}

/** Fills the USD costs from the price service when the chain's own feed gave no price. */
async function withPrice(estimate: FeeEstimate, prices: CurrentPrice | undefined): Promise<FeeEstimate> {
  if (estimate.nativeUsd !== null || !prices) return estimate;
  const price = await prices(estimate.chain, NATIVE).catch(() => null);
  if (!price) return estimate;
  return {
    ...estimate,
    nativeUsd: price.priceUsd,
    costs: estimate.costs.map((cost) => ({ ...cost, usd: mapLevels(cost.native, (amount) => usdOfDecimal(amount, price.priceUsd)) })),
  };
}

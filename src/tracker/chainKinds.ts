import type { ChainConfig, ChainKindName } from '../config/chainPresets.js';
import type { ChainDriver } from './ChainDriver.js';
import type { ChainKind, DriverDeps } from './ChainKind.js';
import { evmKind } from './evm/evmKind.js';
import { solanaKind } from './solana/solanaKind.js';
import { bitcoinKind } from './bitcoin/bitcoinKind.js';
import { stellarKind } from './stellar/stellarKind.js';

export type { ChainKind, DriverDeps } from './ChainKind.js';

type KindMap = { [K in ChainKindName]: ChainKind<Extract<ChainConfig, { kind: K }>> };

/** Every chain kind Lookout follows; a new kind is one folder under src/tracker and one entry here. */
export const CHAIN_KINDS: KindMap = { evm: evmKind, solana: solanaKind, bitcoin: bitcoinKind, stellar: stellarKind };

/** The kind entry of a chain. */
export function kindOf<C extends ChainConfig>(chain: C): ChainKind<C> {
  return CHAIN_KINDS[chain.kind] as unknown as ChainKind<C>;
}

/** The driver of a chain, built by its kind. */
export function createDriver(chain: ChainConfig, deps: DriverDeps): Promise<ChainDriver> {
  return kindOf(chain).createDriver(chain, deps);
}

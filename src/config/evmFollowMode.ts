import { ConfigError } from '../errors/LookoutError.js';

/**
 * How an EVM chain is read: `wallets` reads only what concerns the followed wallets (address-filtered
 * Transfer logs, a balance and nonce probe per wallet, a block body only when the probe moved), `blocks`
 * reads every block body and every Transfer log, and `auto` picks by the number of followed wallets.
 */
export type EvmFollowMode = 'auto' | 'wallets' | 'blocks';

export const EVM_FOLLOW_MODES: readonly EvmFollowMode[] = ['auto', 'wallets', 'blocks'];

/** `EVM_FOLLOW_MODE` as written in the environment; unset or empty is `auto`. Throws ConfigError on another word. */
export function parseEvmFollowMode(text: string | undefined, variable = 'EVM_FOLLOW_MODE'): EvmFollowMode {
  const value = text?.trim().toLowerCase();
  if (value === undefined || value === '') return 'auto';
  const mode = EVM_FOLLOW_MODES.find((candidate) => candidate === value);
  if (!mode) throw new ConfigError(`${variable} must be auto, wallets or blocks; '${text}' is not one of them.`);
  return mode;
}

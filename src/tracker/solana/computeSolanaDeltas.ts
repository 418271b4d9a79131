import { NATIVE } from '../walletDeltas.js';
import type { SolanaTokenBalance } from './readTokenBalances.js';

/** Wrapped SOL mints of SPL Token and Token-2022. */
export const NATIVE_MINTS: ReadonlySet<string> = new Set([
  'So11111111111111111111111111111111111111112',
  '9pan9bMn5HatX4EJdBwg9VgCa7Uz5HL8N1m5D3NdXejP',
]);

/** What the delta computation needs from a decoded transaction. */
export type SolanaBalances = {
  accountKeys: string[];
  preLamports: bigint[];
  postLamports: bigint[];
  preTokenBalances: SolanaTokenBalance[];
  postTokenBalances: SolanaTokenBalance[];
  feePayer: string;
  fee: bigint;
};

/**
 * Net change of everything each address owns, per asset, the fee paid added back:
 * its own lamports, plus the lamports and tokens of the token accounts it owns.
 * Addresses with only zero changes map to an empty Map.
 */
export function computeSolanaDeltas(balances: SolanaBalances): Map<string, Map<string, bigint>> {
  const deltas = new Map<string, Map<string, bigint>>();
  const add = (address: string, asset: string, amount: bigint): void => {
    const assets = deltas.get(address) ?? new Map<string, bigint>();
    deltas.set(address, assets);
    assets.set(asset, (assets.get(asset) ?? 0n) + amount);
  };

  balances.accountKeys.forEach((address, i) => {
    add(address, NATIVE, (balances.postLamports[i] ?? 0n) - (balances.preLamports[i] ?? 0n));
  });
  // Note: a token account counts for the owner it has at each moment, so one created in the
  // transaction (only in post) or closed in it (only in pre) moves its rent into or out of
  // the owner's SOL exactly once, and wrapped SOL is counted through its lamports.
  const addTokenAccount = (balance: SolanaTokenBalance, lamports: bigint[], sign: 1n | -1n): void => {
    add(balance.owner, NATIVE, sign * (lamports[balance.accountIndex] ?? 0n));
    if (!NATIVE_MINTS.has(balance.mint)) add(balance.owner, balance.mint, sign * balance.amount);
  };
  for (const balance of balances.preTokenBalances) addTokenAccount(balance, balances.preLamports, -1n);
  for (const balance of balances.postTokenBalances) addTokenAccount(balance, balances.postLamports, 1n);
  // The fee is reported apart from what the wallet traded.
  add(balances.feePayer, NATIVE, balances.fee);

  for (const assets of deltas.values()) {
    for (const [asset, amount] of assets) if (amount === 0n) assets.delete(asset);
  }
  return deltas;
}

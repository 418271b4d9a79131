import { NATIVE } from '../walletDeltas.js';

/** Every Stellar amount has seven decimals: one XLM is 10,000,000 stroops. */
export const STELLAR_DECIMALS = 7;

/** Horizon's fixed-point amount ("12.3456789") as exact stroops; throws on anything else. */
export function parseStellarAmount(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,7}))?$/.exec(text.trim());
  if (!match) throw new Error(`'${text.slice(0, 40)}' is not a Stellar amount`);
  const value = BigInt(match[2]!) * 10_000_000n + BigInt((match[3] ?? '').padEnd(7, '0'));
  return match[1] === '-' ? -value : value;
}

/** Lookout's key of a Stellar asset: NATIVE for XLM, else `CODE:ISSUER`; null for a pool share. */
export function stellarAssetKey(type: string | undefined, code: string | undefined, issuer: string | undefined): string | null {
  if (type === 'native') return NATIVE;
  if ((type === 'credit_alphanum4' || type === 'credit_alphanum12') && code && issuer) return `${code}:${issuer}`;
  return null;
}

/** The ledger of an operation, from its id (a TOID: ledger << 32 | transaction << 12 | operation). */
export function ledgerOfOperation(id: string): bigint {
  return BigInt(id.split('-')[0]!) >> 32n;
}

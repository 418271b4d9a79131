import { isSolanaAddress } from './base58.js';
import { SolanaDecodeError } from './solanaDecodeError.js';

/** A JSON object as RPC returns it, before its fields are checked. */
export type JsonObject = Record<string, unknown>;

// Note: every reader takes the dotted path of the value so that an error names the field
// a person would look for in the RPC response ("meta.preBalances[3]"), not a code location.

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function fail(value: unknown, path: string, expected: string): never {
  if (value === undefined) throw new SolanaDecodeError(`transaction has no ${path}`);
  throw new SolanaDecodeError(`${path} is not ${expected} (got ${kindOf(value)})`);
}

/** Checks that value is a plain object. */
export function readObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(value, path, 'an object');
  return value as JsonObject;
}

/** Checks that value is an array. */
export function readArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) return fail(value, path, 'an array');
  return value;
}

/** Checks that value is a non-empty string. */
export function readString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') return fail(value, path, 'a non-empty string');
  return value;
}

/** Checks that value is a base58 Solana address. */
export function readAddress(value: unknown, path: string): string {
  if (!isSolanaAddress(value)) return fail(value, path, 'a base58 address');
  return value;
}

/** Checks that value is a non-negative safe integer (an index, a slot, a count). */
export function readIndex(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return fail(value, path, 'a non-negative integer');
  }
  return value;
}

/**
 * Reads a non-negative raw amount. RPC sends lamports as JSON numbers and token amounts as
 * decimal strings; a bigint is accepted too, for callers that parse JSON losslessly.
 */
export function readAmount(value: unknown, path: string): bigint {
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return fail(value, path, 'a non-negative whole amount');
}

/** Reads an array whose every entry is an amount. */
export function readAmounts(value: unknown, path: string): bigint[] {
  return readArray(value, path).map((entry, i) => readAmount(entry, `${path}[${i}]`));
}

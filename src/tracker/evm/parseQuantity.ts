import { hexToBigInt } from 'viem';
import { EvmDecodeError } from './EvmDecodeError.js';
import type { RpcQuantity } from './evmRpcTypes.js';

/** Reads a JSON-RPC quantity (hex string or bigint) as a non-negative bigint; `field` names it in errors. */
export function parseQuantity(value: RpcQuantity | number, field: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new EvmDecodeError(`${field} is negative (${value}); a quantity never is.`);
    return value;
  }
  // Note: a number is accepted only when it is a safe integer, so an amount can never lose digits here.
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    throw new EvmDecodeError(`${field} is the number ${value}, which is not an exact non-negative integer.`);
  }
  if (typeof value === 'string' && /^0x[0-9a-fA-F]+$/.test(value)) return hexToBigInt(value as `0x${string}`);
  throw new EvmDecodeError(`${field} is not a hex quantity such as 0x1a: got ${describe(value)}.`);
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

import {
  createPublicClient,
  custom,
  decodeFunctionResult,
  encodeFunctionData,
  erc20Abi,
  hexToString,
  type Address,
  type Hex,
} from 'viem';
import { setTimeout as sleep } from 'node:timers/promises';
import { RetryableError } from '../../errors/LookoutError.js';
import { backoffDelay } from '../backoff.js';
import { RpcResponseError, type JsonRpcClient, type RpcCall } from './createJsonRpcClient.js';

/** What a token contract says of itself; null where the contract answered that it has no such function. */
export type Erc20Metadata = { address: string; symbol: string | null; name: string | null; decimals: number | null };

const FIELDS = ['symbol', 'name', 'decimals'] as const;

/** Attempts per call before a fault that is not an answer gives up (each attempt has the client's own retries). */
const ATTEMPTS = 4;

export type ReadMetadataOptions = { blockTag?: string; baseDelayMs?: number };

/**
 * Reads symbol, name and decimals of many tokens at once: through Multicall3 when the chain has it
 * (one `eth_call`), otherwise as one JSON-RPC batch of `eth_call`s. Old tokens that return `bytes32`
 * strings are read too. A field is null only when the contract itself said it has none (a revert, empty
 * return data, garbage); a transport error, a timeout or any other JSON-RPC error is retried with backoff,
 * then thrown as a RetryableError, so that a passing fault is never mistaken for a token without decimals.
 */
export async function readErc20Metadata(
  rpc: JsonRpcClient,
  addresses: string[],
  multicall3: string | null,
  options: ReadMetadataOptions = {},
): Promise<Erc20Metadata[]> {
  if (addresses.length === 0) return [];
  const blockTag = options.blockTag ?? 'latest';
  const baseDelayMs = options.baseDelayMs ?? 250;
  if (multicall3) {
    // Note: a multicall that fails for any reason is only a shortcut lost; the batch below is the strict path.
    const read = await viaMulticall(rpc, addresses, multicall3).catch(() => null);
    // Note: tokens whose strings are bytes32 fail ABI decoding inside multicall; they are read again one by one.
    if (read) {
      const incomplete = read.filter((token) => token.symbol === null || token.decimals === null).map((t) => t.address);
      if (incomplete.length === 0) return read;
      const again = new Map((await viaBatch(rpc, incomplete, blockTag, baseDelayMs)).map((token) => [token.address, token]));
      return read.map((token) => again.get(token.address) ?? token);
    }
  }
  return viaBatch(rpc, addresses, blockTag, baseDelayMs);
}

async function viaMulticall(rpc: JsonRpcClient, addresses: string[], multicall3: string): Promise<Erc20Metadata[]> {
  const client = createPublicClient({
    transport: custom({ request: ({ method, params }) => rpc.request(method, (params ?? []) as unknown[]) }),
  });
  const results = await client.multicall({
    multicallAddress: multicall3 as Address,
    allowFailure: true,
    contracts: addresses.flatMap((address) =>
      FIELDS.map((functionName) => ({ address: address as Address, abi: erc20Abi, functionName })),
    ),
  });
  return addresses.map((address, i) => {
    const value = (k: number) => {
      const result = results[i * 3 + k];
      return result?.status === 'success' ? result.result : null;
    };
    const decimals = value(2);
    return {
      address,
      symbol: clean(value(0) as string | null),
      name: clean(value(1) as string | null),
      decimals: typeof decimals === 'number' && decimals <= 36 ? decimals : null,
    };
  });
}

async function viaBatch(rpc: JsonRpcClient, addresses: string[], blockTag: string, baseDelayMs: number): Promise<Erc20Metadata[]> {
  const calls: RpcCall[] = addresses.flatMap((address) =>
    FIELDS.map((functionName) => ({
      method: 'eth_call',
      params: [{ to: address, data: encodeFunctionData({ abi: erc20Abi, functionName }) }, blockTag],
    })),
  );
  const results = await settleEach(rpc, calls, baseDelayMs);
  return addresses.map((address, i) => ({
    address,
    symbol: readString(results[i * 3], 'symbol'),
    name: readString(results[i * 3 + 1], 'name'),
    decimals: readDecimals(results[i * 3 + 2]),
  }));
}

/**
 * Runs the calls as one batch; if the node refuses one of them (a revert fails the whole batch in the
 * client), asks each alone so the others still count. A revert is an answer (null); anything else is retried.
 */
async function settleEach(rpc: JsonRpcClient, calls: RpcCall[], baseDelayMs: number): Promise<(Hex | null)[]> {
  try {
    const results = await rpc.batch<unknown>(calls);
    if (results.every(isReturnData)) return results;
  } catch (error) {
    if (!(error instanceof RpcResponseError)) throw error;
  }
  return Promise.all(calls.map((call) => callOnce(rpc, call, baseDelayMs)));
}

async function callOnce(rpc: JsonRpcClient, call: RpcCall, baseDelayMs: number): Promise<Hex | null> {
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await sleep(backoffDelay(attempt - 1, baseDelayMs, 5_000));
    try {
      const result = await rpc.request<unknown>(call.method, call.params);
      if (isReturnData(result)) return result;
      lastError = new RetryableError('The RPC answered eth_call without return data.', { details: JSON.stringify(result) });
    } catch (error) {
      if (isRevert(error)) return null;
      lastError = error;
    }
  }
  throw new RetryableError('Token metadata could not be read; the RPC kept failing.', {
    details: `${call.method} to ${(call.params[0] as { to?: string }).to}: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
    cause: lastError,
  });
}

/** An `eth_call` result: hex, possibly `0x` (a contract or account without the function). Null is no answer. */
function isReturnData(value: unknown): value is Hex {
  return typeof value === 'string' && /^0x[0-9a-fA-F]*$/.test(value);
}

/** The node ran the call and the contract reverted: it has no such function, which asking again will not change. */
function isRevert(error: unknown): boolean {
  // Note: geth and anvil answer code 3 for a revert with data; some nodes use -32000 with this message.
  return error instanceof RpcResponseError && (error.code === 3 || /execution reverted|\brevert/i.test(error.message));
}

function readString(data: Hex | null | undefined, functionName: 'symbol' | 'name'): string | null {
  if (!data || data === '0x') return null;
  let text: string | null = null;
  try {
    text = decodeFunctionResult({ abi: erc20Abi, functionName, data });
  } catch {
    if (data.length === 66) {
      try {
        text = hexToString(data, { size: 32 }).replace(/\0+$/, '');
      } catch {
        text = null;
      }
    }
  }
  return clean(text);
}

function readDecimals(data: Hex | null | undefined): number | null {
  if (!data || data === '0x' || data.length !== 66) return null;
  const value = BigInt(data);
  return value <= 36n ? Number(value) : null;
}

/** Keeps printable text of sane length: a symbol is shown in chat, so control characters are dropped. */
function clean(text: string | null): string | null {
  if (text === null) return null;
  // eslint-disable-next-line no-control-regex
  const printable = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  if (printable.length === 0 || printable.length > 64) return null;
  return printable;
}

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
import type { JsonRpcClient, RpcCall } from './createJsonRpcClient.js';

/** What a token contract says of itself; null where its call failed or returned garbage. */
export type Erc20Metadata = { address: string; symbol: string | null; name: string | null; decimals: number | null };

const FIELDS = ['symbol', 'name', 'decimals'] as const;

/**
 * Reads symbol, name and decimals of many tokens at once: through Multicall3 when the chain has it
 * (one `eth_call`), otherwise as one JSON-RPC batch of `eth_call`s. Old tokens that return `bytes32`
 * strings are read too. A token whose calls fail gets nulls, never an exception.
 */
export async function readErc20Metadata(
  rpc: JsonRpcClient,
  addresses: string[],
  multicall3: string | null,
  blockTag = 'latest',
): Promise<Erc20Metadata[]> {
  if (addresses.length === 0) return [];
  if (multicall3) {
    const read = await viaMulticall(rpc, addresses, multicall3).catch(() => null);
    // Note: tokens whose strings are bytes32 fail ABI decoding inside multicall; they are read again one by one.
    if (read) {
      const incomplete = read.filter((token) => token.symbol === null || token.decimals === null).map((t) => t.address);
      if (incomplete.length === 0) return read;
      const again = new Map((await viaBatch(rpc, incomplete, blockTag)).map((token) => [token.address, token]));
      return read.map((token) => again.get(token.address) ?? token);
    }
  }
  return viaBatch(rpc, addresses, blockTag);
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

async function viaBatch(rpc: JsonRpcClient, addresses: string[], blockTag: string): Promise<Erc20Metadata[]> {
  const calls: RpcCall[] = addresses.flatMap((address) =>
    FIELDS.map((functionName) => ({
      method: 'eth_call',
      params: [{ to: address, data: encodeFunctionData({ abi: erc20Abi, functionName }) }, blockTag],
    })),
  );
  const results = await settleEach(rpc, calls);
  return addresses.map((address, i) => ({
    address,
    symbol: readString(results[i * 3], 'symbol'),
    name: readString(results[i * 3 + 1], 'name'),
    decimals: readDecimals(results[i * 3 + 2]),
  }));
}

/** Runs the calls as one batch; if the node refuses one of them, asks each alone so the others still count. */
async function settleEach(rpc: JsonRpcClient, calls: RpcCall[]): Promise<(Hex | null)[]> {
  try {
    return await rpc.batch<Hex>(calls);
  } catch {
    return Promise.all(calls.map((call) => rpc.request<Hex>(call.method, call.params).catch(() => null)));
  }
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

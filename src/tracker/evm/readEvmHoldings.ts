import { encodeFunctionData, erc20Abi } from 'viem';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import { NATIVE } from '../walletDeltas.js';

/** A wallet's balance of each asset asked, raw, read in one JSON-RPC batch at the latest block. */
export async function readEvmHoldings(rpc: JsonRpcClient, wallet: string, tokens: string[]): Promise<Map<string, bigint>> {
  const calls = [
    { method: 'eth_getBalance', params: [wallet, 'latest'] },
    ...tokens.map((token) => ({
      method: 'eth_call',
      params: [{ to: token, data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [wallet as `0x${string}`] }) }, 'latest'],
    })),
  ];
  const results = await rpc.batch<string>(calls);
  const holdings = new Map<string, bigint>();
  const native = BigInt(results[0]!);
  if (native > 0n) holdings.set(NATIVE, native);
  tokens.forEach((token, i) => {
    const data = results[i + 1];
    // Note: a token whose balanceOf answers garbage is left out rather than shown with a made-up amount.
    if (typeof data === 'string' && data.length === 66) {
      const amount = BigInt(data);
      if (amount > 0n) holdings.set(token, amount);
    }
  });
  return holdings;
}

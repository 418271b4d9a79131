import { RetryableError } from '../../errors/LookoutError.js';
import { TRANSFER_TOPIC } from './erc20TransfersOf.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import { RpcResponseError } from './createJsonRpcClient.js';
import type { RpcLog, RpcTx } from './evmRpcTypes.js';

/** A block as `eth_getBlockByNumber(n, true)` returns it, with the fields the follower reads. */
export type RpcBlock = {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  transactions: (RpcTx & { hash: string; from: string; transactionIndex: string; blockHash: string })[];
};

export type RpcBlockLog = RpcLog & { transactionHash: string; blockHash: string; blockNumber: string };

export const toHex = (value: bigint) => `0x${value.toString(16)}`;

/** The blocks `from..to` with their transactions, in one batch; null entries where the node has no such block yet. */
export async function fetchBlocks(rpc: JsonRpcClient, from: bigint, to: bigint): Promise<(RpcBlock | null)[]> {
  const numbers: bigint[] = [];
  for (let n = from; n <= to; n++) numbers.push(n);
  return rpc.batch<RpcBlock | null>(numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [toHex(n), true] })));
}

/**
 * Every ERC-20 `Transfer` log of the range, unfiltered by address so that the cost is one call whatever
 * the number of followed wallets; a range the node refuses is split in halves.
 */
export async function fetchTransferLogs(
  rpc: JsonRpcClient,
  from: bigint,
  to: bigint,
  topics: (string | string[] | null)[] = [TRANSFER_TOPIC],
): Promise<RpcBlockLog[]> {
  try {
    return await rpc.request<RpcBlockLog[]>('eth_getLogs', [{ fromBlock: toHex(from), toBlock: toHex(to), topics }]);
  } catch (error) {
    if (!(error instanceof RpcResponseError) || from === to) throw error;
    const middle = from + (to - from) / 2n;
    const left = await fetchTransferLogs(rpc, from, middle, topics);
    const right = await fetchTransferLogs(rpc, middle + 1n, to, topics);
    return [...left, ...right];
  }
}

/** Checks that fetched blocks chain together; a break means the chain reorganised while we read it. */
export function assertLinked(blocks: RpcBlock[]): void {
  for (let i = 1; i < blocks.length; i++) {
    if (blocks[i]!.parentHash !== blocks[i - 1]!.hash) {
      throw new RetryableError('The chain changed while its blocks were read; reading them again.', {
        details: `block ${blocks[i]!.number} does not follow ${blocks[i - 1]!.hash}`,
      });
    }
  }
}

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

/** A transaction as a block with full transactions, or `eth_getTransactionByHash`, returns it. */
export type RpcBlockTx = RpcBlock['transactions'][number];

/** A block as `eth_getBlockByNumber(n, false)` returns it: the header and the hashes of its transactions. */
export type RpcHeader = Omit<RpcBlock, 'transactions'> & { transactions: unknown[] };

export type RpcBlockLog = RpcLog & { transactionHash: string; blockHash: string; blockNumber: string };

export const toHex = (value: bigint) => `0x${value.toString(16)}`;

/** The blocks `from..to` with their transactions, in one batch; null entries where the node has no such block yet. */
export async function fetchBlocks(rpc: JsonRpcClient, from: bigint, to: bigint, options?: { otherEndpoint?: boolean }): Promise<(RpcBlock | null)[]> {
  return rpc.batch<RpcBlock | null>(blockCalls(from, to, true), options);
}

/** The headers of the blocks `from..to` (transaction hashes only: a few kilobytes, not a whole body), in one batch. */
/** The transactions of these hashes, in one batch; null for one the node does not serve. */
export async function fetchTransactions(rpc: JsonRpcClient, hashes: readonly string[]): Promise<(RpcBlockTx | null)[]> {
  return rpc.batch<RpcBlockTx | null>(hashes.map((hash) => ({ method: 'eth_getTransactionByHash', params: [hash] })));
}

export async function fetchHeaders(rpc: JsonRpcClient, from: bigint, to: bigint): Promise<(RpcHeader | null)[]> {
  return rpc.batch<RpcHeader | null>(blockCalls(from, to, false));
}

function blockCalls(from: bigint, to: bigint, full: boolean) {
  const calls = [];
  for (let n = from; n <= to; n++) calls.push({ method: 'eth_getBlockByNumber', params: [toHex(n), full] });
  return calls;
}

/**
 * The blocks `from..to`, every one of them: a `null`, a short or jumbled batch, or a block without its hash
 * is a fault of the node (it lags, or it answered badly), never a sign of a reorg, and is retried.
 */
export async function fetchWholeRange(rpc: JsonRpcClient, from: bigint, to: bigint, options?: { otherEndpoint?: boolean }): Promise<RpcBlock[]> {
  return checkedBlocks(from, await fetchBlocks(rpc, from, to, options));
}

/** Blocks answered for `from` onwards, each checked to be a whole block of its number; a gap or a bad one is retried. */
export function checkedBlocks<B extends RpcHeader>(from: bigint, fetched: readonly (B | null)[]): B[] {
  return fetched.map((block, i) => {
    const number = from + BigInt(i);
    if (!isBlock(block) || BigInt(block.number) !== number) {
      throw new RetryableError('The node did not return a block it should have; reading it again.', {
        details: `block ${number}: ${block === null ? 'null' : 'not a block of that number'}`,
      });
    }
    return block;
  });
}

function isBlock<B extends RpcHeader>(block: B | null): block is B {
  if (typeof block !== 'object' || block === null) return false;
  const { number, hash, parentHash, transactions } = block as Record<string, unknown>;
  return typeof number === 'string' && typeof hash === 'string' && typeof parentHash === 'string' && Array.isArray(transactions);
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
export function assertLinked(blocks: readonly RpcHeader[]): void {
  for (let i = 1; i < blocks.length; i++) {
    if (blocks[i]!.parentHash !== blocks[i - 1]!.hash) {
      throw new RetryableError('The chain changed while its blocks were read; reading them again.', {
        details: `block ${blocks[i]!.number} does not follow ${blocks[i - 1]!.hash}`,
      });
    }
  }
}

import { pad, type Address } from 'viem';
import type { EvmChainConfig } from '../../config/chainPresets.js';
import type { Logger } from '../../logger.js';
import type { BackfillRange, BackfillResult } from '../ChainDriver.js';
import type { ChainStore } from '../ChainStore.js';
import type { PriceService } from '../prices/createPriceService.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import { createEvmRecordBuilder, type RelevantTx } from './createEvmRecordBuilder.js';
import { TRANSFER_TOPIC } from './erc20TransfersOf.js';
import type { RpcTx } from './evmRpcTypes.js';
import { fetchTransferLogs, toHex, type RpcBlock } from './fetchBlockRange.js';


/** Blocks per address-filtered getLogs during a backfill; a node that refuses gets the range halved. */
const LOG_CHUNK = 10_000n;

/**
 * Reads one wallet's history, from a block or a time ago up to where the follower stands; the caller stores
 * it without alerts (it is history). It finds every transaction that moved an ERC-20 token to or from the
 * wallet through address-filtered logs, so it costs calls in proportion to the range, never blocks.
 * Note: a plain native send with no token movement leaves no log, so history holds trades and token
 * transfers; native sends are followed from the moment a wallet is tracked.
 */
export async function backfillEvmWallet(
  deps: { chain: EvmChainConfig; store: Pick<ChainStore, 'chainCursor' | 'anyWalletHeld' | 'tokens'>; rpc: JsonRpcClient; logger: Logger; prices?: PriceService | undefined },
  address: string,
  range: BackfillRange,
): Promise<BackfillResult> {
  const { chain, store, rpc } = deps;
  const cursor = await store.chainCursor(chain.name);
  const head = BigInt(await rpc.request<string>('eth_blockNumber', []));
  const toBlock = cursor ? cursor.number : head;
  const fromBlock =
    'fromBlock' in range
      ? range.fromBlock
      : toBlock - BigInt(Math.ceil(range.sinceMs / chain.blockTimeMs)) > 0n
        ? toBlock - BigInt(Math.ceil(range.sinceMs / chain.blockTimeMs))
        : 0n;
  const topic = pad(address as Address);
  const hashes = new Map<string, bigint>();
  for (let start = fromBlock; start <= toBlock; start += LOG_CHUNK) {
    const end = start + LOG_CHUNK - 1n < toBlock ? start + LOG_CHUNK - 1n : toBlock;
    for (const topics of [[TRANSFER_TOPIC, topic], [TRANSFER_TOPIC, null, topic]]) {
      for (const log of await fetchTransferLogs(rpc, start, end, topics)) hashes.set(log.transactionHash, BigInt(log.blockNumber));
    }
  }
  const entries = [...hashes];
  const txs = await rpc.batch<RpcTx & { hash: string; from: string; transactionIndex: string }>(
    entries.map(([hash]) => ({ method: 'eth_getTransactionByHash', params: [hash] })),
  );
  const blockNumbers = [...new Set(entries.map(([, block]) => block))];
  const blocks = await rpc.batch<RpcBlock>(blockNumbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [toHex(n), false] })));
  const blockByNumber = new Map(blocks.map((block) => [BigInt(block.number), block]));
  const relevant: RelevantTx[] = entries.map(([, number], i) => {
    const block = blockByNumber.get(number)!;
    return { blockNumber: number, blockHash: block.hash, blockTime: new Date(Number(BigInt(block.timestamp)) * 1000), tx: txs[i]! };
  });
  const builder = createEvmRecordBuilder(deps);
  const { records, skipped } = await builder.build(relevant, new Set([address]));
  return { records, skipped, fromBlock, toBlock, transactions: entries.length };
}
export type { BackfillRange } from '../ChainDriver.js';

import type { ChainConfig } from '../../config/chainPresets.js';
import { RetryableError, UserInputError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import type { ExplainOutcome } from '../ChainDriver.js';
import { explainEvmTransaction, tokenAssets } from '../explainTransaction.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import type { RpcReceipt, RpcTx } from './evmRpcTypes.js';
import { createInternalNativeMeter } from './measureInternalNative.js';
import { readErc20Metadata } from './readErc20Metadata.js';

/** Fetches an EVM transaction by hash and explains it for the wallets (default: its sender), with its tokens' names. */
export async function explainEvmTransactionById(
  chain: ChainConfig,
  rpc: JsonRpcClient,
  logger: Logger,
  hash: string,
  wallets: string[],
): Promise<ExplainOutcome> {
  let unreachable = false;
  const tx = await rpc
    .request<(RpcTx & { from: string; blockNumber: string | null }) | null>('eth_getTransactionByHash', [hash])
    .catch((error: unknown) => {
      if (error instanceof RetryableError) unreachable = true;
      return null;
    });
  if (!tx) return unreachable ? { kind: 'unreachable' } : { kind: 'unknown' };
  if (tx.blockNumber === null) throw new UserInputError(`${hash} is still pending on ${chain.name}; try again once it is mined.`);
  const receipt = await rpc.request<RpcReceipt>('eth_getTransactionReceipt', [hash]);
  const targets = wallets.length ? wallets : [tx.from.toLowerCase()];
  const meter = createInternalNativeMeter(rpc, logger);
  const internal = await meter.measure([{ hash, blockNumber: BigInt(tx.blockNumber), tx, receipt, wallets: targets }]);
  const entries = explainEvmTransaction(chain, { tx, receipt }, targets, internal.moved.get(hash));
  // Note: names are a courtesy; a token that cannot be read is shown raw rather than failing the explanation.
  const read = await readErc20Metadata(rpc, tokenAssets(entries), chain.multicall3).catch(() => []);
  return { kind: 'found', explained: { entries, tokens: new Map(read.map((token) => [token.address, token])) } };
}

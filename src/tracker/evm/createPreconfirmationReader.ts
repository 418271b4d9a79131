import type { EvmChainConfig } from '../../config/chainPresets.js';
import type { Logger } from '../../logger.js';
import type { PreconfirmedEvent } from '../ChainDriver.js';
import type { ChainStore } from '../ChainStore.js';
import type { PriceService } from '../prices/createPriceService.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import { createEvmRecordBuilder, type RelevantTx } from './createEvmRecordBuilder.js';
import { TRANSFER_TOPIC } from './erc20TransfersOf.js';
import type { RpcBlock, RpcBlockLog } from './fetchBlockRange.js';
import { createInternalNativeMeter } from './measureInternalNative.js';
import { TOPIC_CHUNK } from './createWalletModeReader.js';

export type PreconfirmationReader = {
  /**
   * Reads the block being built (`pending` on a Flashblocks endpoint) once, and returns the records of the followed
   * wallets' transactions in it that an earlier read did not already give; null when there are none.
   */
  poll(followed: ReadonlySet<string>): Promise<PreconfirmedEvent | null>;
};

export type PreconfirmationReaderDeps = {
  chain: EvmChainConfig;
  /** The Flashblocks endpoint's client: its `pending` tag answers the block being built. */
  rpc: JsonRpcClient;
  store: Pick<ChainStore, 'anyWalletHeld' | 'tokens'>;
  logger: Logger;
  prices?: PriceService | undefined;
};

/**
 * Preconfirmations of one EVM chain over a Flashblocks-aware JSON-RPC endpoint. The block being built grows every
 * flashblock (200 ms on Base); each poll reads it with the followed wallets' Transfer logs in it, and builds the
 * records of the transactions new since the last poll with the same record builder as sealed blocks (receipts,
 * internal native coin, classification), so that a preconfirmed record is what its sealed block will give.
 * Note: best effort. A transaction it misses, or cannot measure, is alerted when its block seals, as without it.
 */
export function createPreconfirmationReader(deps: PreconfirmationReaderDeps): PreconfirmationReader {
  const { chain, rpc, logger } = deps;
  // Note: one trace attempt: a transaction the endpoint cannot trace yet is left to its sealed block, not waited for.
  const meter = createInternalNativeMeter(rpc, logger, { attempts: 1 });
  const builder = createEvmRecordBuilder({ chain, store: deps.store, rpc, logger, prices: pendingPrices(deps.prices), meter });
  /** The block being built, and the transactions of it already looked at. */
  let current: { number: bigint; seen: Set<string> } | null = null;

  async function transferLogs(followed: ReadonlySet<string>): Promise<RpcBlockLog[]> {
    const wallets = [...followed];
    const calls = [];
    for (let i = 0; i < wallets.length; i += TOPIC_CHUNK) {
      const topics = wallets.slice(i, i + TOPIC_CHUNK).map((wallet) => `0x${wallet.slice(2).padStart(64, '0')}`);
      for (const filter of [[TRANSFER_TOPIC, topics], [TRANSFER_TOPIC, null, topics]]) {
        calls.push({ method: 'eth_getLogs', params: [{ fromBlock: 'pending', toBlock: 'pending', topics: filter }] });
      }
    }
    return (await rpc.batch<RpcBlockLog[]>(calls)).flat();
  }

  return {
    async poll(followed) {
      if (followed.size === 0) return null;
      // Note: the block first, then its logs: flashblocks only add transactions, so the logs read after hold those of
      // every transaction the block read has (unless the block sealed in between: those are alerted when it seals).
      const block = await rpc.request<RpcBlock | null>('eth_getBlockByNumber', ['pending', true]);
      if (!block || !Array.isArray(block.transactions)) return null;
      const logs = await transferLogs(followed);
      const number = BigInt(block.number);
      if (!current || current.number !== number) current = { number, seen: new Set() };
      const seen = current.seen;
      const touched = new Set(
        logs
          .filter((log) => [log.topics[1], log.topics[2]].some((topic) => topic && followed.has(`0x${topic.slice(26)}`.toLowerCase())))
          .map((log) => log.transactionHash),
      );
      const blockTime = new Date(Number(BigInt(block.timestamp)) * 1000);
      const relevant: RelevantTx[] = [];
      for (const tx of block.transactions) {
        if (seen.has(tx.hash)) continue;
        const direct = followed.has(tx.from.toLowerCase()) || (tx.to ? followed.has(tx.to.toLowerCase()) : false);
        if (direct || touched.has(tx.hash)) relevant.push({ blockNumber: number, blockHash: block.hash, blockTime, tx });
      }
      // Note: a transaction is looked at once per block being built; the block's own transactions are fixed once in it.
      for (const tx of block.transactions) seen.add(tx.hash);
      if (relevant.length === 0) return null;
      let built;
      try {
        built = await builder.build(relevant, followed);
      } catch (error) {
        logger.debug({ err: error, block: number.toString(), txs: relevant.length }, 'preconfirmed transactions could not be built; they are alerted when their block seals');
        return null;
      }
      return built.records.length > 0 ? { type: 'preconfirmed', records: built.records, block: number } : null;
    },
  };
}

/**
 * The price service as a block being built can use it: prices are read at its parent, the newest sealed block
 * (the feed has no state at a block not sealed yet), and no trade price is kept from it. The sealed record's
 * value replaces the preconfirmed one when the block seals.
 */
function pendingPrices(prices: PriceService | undefined): PriceService | undefined {
  if (!prices) return undefined;
  return {
    ...prices,
    priceTrade: (record, tokens, chain) => prices.priceTrade({ ...record, blockNumber: record.blockNumber - 1n }, tokens, chain),
    recordTradePrice: async () => {},
  };
}

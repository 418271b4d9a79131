import type { EvmChainConfig } from '../../config/chainPresets.js';
import { RetryableError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import type { PreconfirmedEvent } from '../ChainDriver.js';
import type { ChainStore } from '../ChainStore.js';
import type { PriceService } from '../prices/createPriceService.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import { createEvmRecordBuilder, type RelevantTx } from './createEvmRecordBuilder.js';
import { decodeEvmTransaction } from './decodeEvmTransaction.js';
import { TRANSFER_TOPIC } from './erc20TransfersOf.js';
import type { RpcReceipt } from './evmRpcTypes.js';
import { fetchTransactions, toHex, type RpcBlock, type RpcBlockLog, type RpcBlockTx, type RpcHeader } from './fetchBlockRange.js';
import { createInternalNativeMeter, type InternalNative, type InternalNativeMeter, type TxForInternal } from './measureInternalNative.js';
import { TOPIC_CHUNK } from './createWalletModeReader.js';

/** Polls that may try to build a preconfirmed transaction before it is left to its sealed block. */
const BUILD_ATTEMPTS = 3;

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
  // Note: one trace attempt: a transaction the endpoint cannot trace yet is checked against balances, not waited for.
  const tracer = createInternalNativeMeter(rpc, logger, { attempts: 1 });
  /** Whether the endpoint traces preconfirmed transactions: unknown until it did (or did not) once. */
  let traces: 'unknown' | 'yes' | 'no' = 'unknown';
  /** The block being built and the followed wallets' Transfer logs in it, as the poll in progress read them. */
  let read: { block: RpcBlock; logs: RpcBlockLog[] } | null = null;
  const meter: InternalNativeMeter = {
    method: () => (traces === 'no' ? 'balance' : tracer.method()),
    async measure(txs) {
      if (traces !== 'no') {
        try {
          const traced = await tracer.measure(txs);
          traces = 'yes';
          return traced;
        } catch (error) {
          // Note: an endpoint that never traced one is not asked again; one that did may fail on a transaction too fresh.
          if (traces === 'unknown') {
            traces = 'no';
            logger.info({ reason: (error as Error).message }, 'the Flashblocks endpoint does not trace preconfirmed transactions; checking them against pending balances');
          }
        }
      }
      return byPendingBalance(txs);
    },
  };
  const builder = createEvmRecordBuilder({ chain, store: deps.store, rpc, logger, prices: pendingPrices(deps.prices), meter });
  /**
   * The block being built: the bodies of its transactions read so far, those already looked at, and how often
   * building one failed.
   */
  let current: { number: bigint; bodies: Map<string, RpcBlockTx>; seen: Set<string>; failures: Map<string, number> } | null = null;

  /** The bodies of the transactions of `hashes` not read before, by hash; one the endpoint does not serve yet is left out. */
  async function readBodies(bodies: Map<string, RpcBlockTx>, hashes: string[]): Promise<void> {
    const missing = hashes.filter((hash) => !bodies.has(hash));
    if (missing.length === 0) return;
    (await fetchTransactions(rpc, missing)).forEach((tx, i) => {
      if (tx && typeof tx.from === 'string') bodies.set(missing[i]!, tx);
    });
  }

  /**
   * Without traces: each wallet's pending balance less its balance at the parent block must be what the receipts of
   * its transactions in the block being built explain; then no native coin moved inside calls for it, and the
   * records are exact. Otherwise the wallet got coin inside a call that cannot be told apart here (or the block grew
   * while it was read): the poll's transactions are left to their sealed block, which traces or splits it.
   */
  async function byPendingBalance(txs: TxForInternal[]): Promise<InternalNative> {
    if (!read) throw new Error('byPendingBalance runs inside a poll');
    const { block, logs } = read;
    const number = BigInt(block.number);
    const wallets = [...new Set(txs.flatMap((item) => item.wallets))];
    const touching = new Map(
      wallets.map((wallet) => {
        const logged = new Set(
          logs.filter((log) => [log.topics[1], log.topics[2]].some((topic) => topic && `0x${topic.slice(26)}`.toLowerCase() === wallet)).map((log) => log.transactionHash),
        );
        const own = block.transactions.filter((tx) => tx.from.toLowerCase() === wallet || tx.to?.toLowerCase() === wallet || logged.has(tx.hash));
        return [wallet, own] as const;
      }),
    );
    const hashes = [...new Set([...touching.values()].flat().map((tx) => tx.hash))];
    const answers = await rpc.batch<unknown>([
      ...wallets.map((wallet) => ({ method: 'eth_getBalance', params: [wallet, 'pending'] })),
      ...wallets.map((wallet) => ({ method: 'eth_getBalance', params: [wallet, toHex(number - 1n)] })),
      ...hashes.map((hash) => ({ method: 'eth_getTransactionReceipt', params: [hash] })),
      { method: 'eth_getBlockByNumber', params: ['pending', false] },
    ]);
    const after = answers[answers.length - 1] as { number?: string; transactions?: unknown[] } | null;
    // Note: flashblocks only add transactions: the same count after the balances means the state they read is this block's.
    if (!after || after.number === undefined || BigInt(after.number) !== number || after.transactions?.length !== block.transactions.length) {
      throw new RetryableError('The block being built grew while its balances were read; its transactions wait for the sealed block.');
    }
    const receipts = new Map(hashes.map((hash, i) => [hash, answers[2 * wallets.length + i] as RpcReceipt | null]));
    wallets.forEach((wallet, i) => {
      const actual = BigInt(answers[i] as string) - BigInt(answers[wallets.length + i] as string);
      let explained = 0n;
      for (const tx of touching.get(wallet)!) {
        const receipt = receipts.get(tx.hash);
        if (!receipt || !Array.isArray(receipt.logs)) throw new RetryableError('The endpoint has no receipt yet for a preconfirmed transaction.', { details: tx.hash });
        const [delta] = decodeEvmTransaction({ tx, receipt }, [wallet]);
        if (delta) explained += (delta.deltas.get('native') ?? 0n) - delta.fee;
      }
      if (actual !== explained) {
        throw new RetryableError('Native coin moved inside a call for a followed wallet in the block being built; its transactions wait for the sealed block.', {
          details: `${wallet}: ${actual} moved, ${explained} explained by receipts`,
        });
      }
    });
    return { moved: new Map(), unsplit: new Map() };
  }

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
      // The block is read as hashes, and only the transactions new since the last read in full: read whole five
      // times a second, a block being built would cost its size over again at every flashblock.
      const header = await rpc.request<RpcHeader | null>('eth_getBlockByNumber', ['pending', false]);
      if (!header || !Array.isArray(header.transactions)) return null;
      const number = BigInt(header.number);
      if (!current || current.number !== number) current = { number, bodies: new Map(), seen: new Set(), failures: new Map() };
      const { bodies, seen, failures } = current;
      const hashes = header.transactions.filter((hash): hash is string => typeof hash === 'string');
      const [, logs] = await Promise.all([readBodies(bodies, hashes), transferLogs(followed)]);
      // Note: a transaction whose body is not served yet is left out, and looked at on a later read.
      const block: RpcBlock = { ...header, transactions: hashes.flatMap((hash) => bodies.get(hash) ?? []) };
      read = { block, logs };
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
        // Note: a receipt not served yet, a block that grew while read: the next polls try again, a few times.
        for (const { tx } of relevant) {
          const count = (failures.get(tx.hash) ?? 0) + 1;
          failures.set(tx.hash, count);
          if (count < BUILD_ATTEMPTS) seen.delete(tx.hash);
        }
        logger.debug({ err: error, block: number.toString(), txs: relevant.length }, 'preconfirmed transactions could not be built yet; past a few tries they are alerted when their block seals');
        return null;
      } finally {
        read = null;
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

import type { DriverDeps } from '../ChainKind.js';
import type { BitcoinChainConfig } from '../../config/chainPresets.js';
import type { ProcessedBlock } from '../../db/storeChainRecords.js';
import { RetryableError } from '../../errors/LookoutError.js';
import type { BackfillResult, ChainCursor, ChainDriver, ChainEvent, ExplainOutcome } from '../ChainDriver.js';
import { classifyTrade } from '../classifyTrade.js';
import { createHttpApiClient } from '../createHttpApiClient.js';
import { followLoop } from '../followLoop.js';
import { createPassLock } from '../passLock.js';
import { priceRecord } from '../prices/priceRecord.js';
import type { TradeRecord } from '../tradeRecord.js';
import { NATIVE } from '../walletDeltas.js';
import { bitcoinFeePayer, bitcoinWalletDeltas } from './bitcoinWalletDeltas.js';
import { buildBitcoinRecords, type PlacedBitcoinTx } from './buildBitcoinRecords.js';
import { createEsploraApi, type EsploraApi } from './createEsploraApi.js';
import { bitcoinFeeEstimate, readBitcoinFeeEstimates } from './readBitcoinFeeEstimates.js';
import type { EsploraBlock, EsploraTx } from './esploraTypes.js';

export type BitcoinDriverDeps = DriverDeps & {
  chain: BitcoinChainConfig;
  /** Time between two looks at the tip; default a tenth of the block time (a minute on mainnet), at least 250 ms. */
  pollMs?: number;
  fetch?: typeof fetch;
};

type RecordsEvent = Extract<ChainEvent, { type: 'records' }>;

/**
 * Follows Bitcoin through an Esplora API, block by block: the cursor is a height and its hash, a block whose
 * parent is not the stored hash is a reorg (undone back to the newest kept block the chain still has, as on EVM).
 * Note: the followed addresses' transactions of new blocks are read from their address histories (one request per
 * address and block range, more only for an address with over 25 transactions in it), not from whole blocks of
 * ~3,000 transactions in 120 pages each: Lookout follows a few wallets, not the chain. Only confirmed transactions count.
 */
export function createBitcoinDriver(deps: BitcoinDriverDeps): ChainDriver {
  const { chain, store } = deps;
  const logger = deps.logger.child({ component: 'bitcoin', chain: chain.name });
  const api: EsploraApi = createEsploraApi(createHttpApiClient({ urls: chain.rpcUrls, name: 'Esplora', onRequest: deps.onRpcRequest, fetch: deps.fetch }));
  const keepBlocks = Math.max(chain.reorgWindow, 1) + 16;
  const maxRange = BigInt(Math.max(1, chain.maxBlockRange));
  const passes = createPassLock();

  async function readBlock(height: bigint): Promise<EsploraBlock | null> {
    const hash = await api.blockHashAt(height);
    if (hash === null) return null;
    const block = await api.block(hash);
    if (block.id !== hash || BigInt(block.height) !== height) {
      throw new RetryableError('The Esplora API gave another block than the one asked; asking again.', { details: `${height} ${hash} → ${block.height} ${block.id}` });
    }
    return block;
  }

  async function* pass(start: ChainCursor | null): AsyncGenerator<ChainEvent, void, undefined> {
    const head = await api.tipHeight();
    let cursor = start;
    if (!cursor) {
      const block = await readBlock(head);
      cursor = { number: head, hash: block?.id ?? null };
      logger.info({ block: head.toString() }, 'starting to follow at block');
      yield { type: 'records', records: [], blocks: block ? [blockOf(block)] : [], cursor, keepBlocks, head };
    }
    while (cursor.number < head) {
      const to = cursor.number + maxRange < head ? cursor.number + maxRange : head;
      const outcome = await readRange(cursor, to, head);
      if (outcome === 'behind') return;
      if (outcome === 'reorg') {
        const ancestor = await findAncestor(cursor);
        logger.warn({ from: cursor.number.toString(), ancestor: ancestor.number.toString() }, 'bitcoin reorg: a stored block left the chain');
        yield { type: 'reorg', ancestor, from: cursor };
        cursor = ancestor;
        continue;
      }
      yield outcome;
      cursor = outcome.cursor;
    }
  }

  async function readRange(cursor: ChainCursor, to: bigint, head: bigint): Promise<'reorg' | 'behind' | RecordsEvent> {
    const blocks: EsploraBlock[] = [];
    for (let height = cursor.number + 1n; height <= to; height++) {
      const block = await readBlock(height);
      if (!block) break;
      blocks.push(block);
    }
    if (blocks.length === 0) return 'behind';
    if (cursor.hash !== null && (blocks[0]!.previousblockhash ?? null) !== cursor.hash) {
      const again = await api.blockHashAt(cursor.number);
      if (again !== null && again !== cursor.hash) return 'reorg';
      throw new RetryableError('A block did not follow the stored one, but the stored one is still on the chain; reading again.', {
        details: `block ${blocks[0]!.height} has parent ${blocks[0]!.previousblockhash}, stored ${cursor.number} is ${cursor.hash}`,
      });
    }
    for (let i = 1; i < blocks.length; i++) {
      if (blocks[i]!.previousblockhash !== blocks[i - 1]!.id) throw new RetryableError('The chain changed while its blocks were read; reading them again.');
    }
    const followed = new Set(await store.followedAddresses(chain.name));
    const records = followed.size === 0 ? [] : await recordsOf(blocks, followed);
    const last = blocks[blocks.length - 1]!;
    return { type: 'records', records, skipped: [], blocks: blocks.map(blockOf), cursor: { number: BigInt(last.height), hash: last.id }, keepBlocks, head };
  }

  /** The followed addresses' transactions in these blocks, each checked to be in the very block read. */
  async function recordsOf(blocks: EsploraBlock[], followed: Set<string>): Promise<TradeRecord[]> {
    const byHeight = new Map(blocks.map((block) => [block.height, block]));
    const from = blocks[0]!.height;
    const to = blocks[blocks.length - 1]!.height;
    const found = new Map<string, PlacedBitcoinTx>();
    for (const address of followed) {
      for (const tx of await historyOf(address, (height) => height < from)) {
        const height = tx.status.block_height;
        if (height === undefined || height > to || height < from) continue;
        const block = byHeight.get(height)!;
        if (tx.status.block_hash !== block.id) throw new RetryableError('The chain changed while the wallets were read; reading again.', { details: tx.txid });
        found.set(tx.txid, { tx, blockNumber: BigInt(height), blockHash: block.id, blockTime: new Date(block.timestamp * 1000) });
      }
    }
    const ordered = [...found.values()].sort((a, b) => (a.blockNumber === b.blockNumber ? a.tx.txid.localeCompare(b.tx.txid) : a.blockNumber < b.blockNumber ? -1 : 1));
    return priced(ordered.flatMap((placed) => buildBitcoinRecords(chain, placed, followed)));
  }

  /** An address's confirmed transactions, newest first, until one is older than `done` says. */
  async function historyOf(address: string, done: (height: number, time: number) => boolean): Promise<EsploraTx[]> {
    const txs: EsploraTx[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await api.addressTxs(address, after);
      for (const tx of page) {
        if (tx.status.block_height !== undefined && done(tx.status.block_height, tx.status.block_time ?? 0)) return txs;
        txs.push(tx);
      }
      if (page.length < 25) return txs;
      after = page[page.length - 1]!.txid;
    }
  }

  async function priced(records: TradeRecord[]): Promise<TradeRecord[]> {
    const out: TradeRecord[] = [];
    for (const record of records) out.push(await priceRecord(deps.prices, chain, record, new Map()));
    return out;
  }

  /** The newest kept block the chain still has; below the oldest kept one when the reorg is deeper. */
  async function findAncestor(cursor: ChainCursor): Promise<ChainCursor> {
    const known = await store.recentBlocks(chain.name);
    for (const stored of known) {
      const onChain = await api.blockHashAt(stored.number);
      if (onChain === null) throw new RetryableError('The Esplora API has no block at a kept height; asking again.', { details: stored.number.toString() });
      if (onChain === stored.hash) return stored;
    }
    const oldest = known[known.length - 1];
    const number = oldest ? oldest.number - 1n : cursor.number - 1n;
    logger.error({ block: number.toString() }, 'reorg deeper than the blocks kept; resuming below the oldest kept block');
    return { number, hash: await api.blockHashAt(number) };
  }

  async function* passFrom(cursor: { current: ChainCursor | null }): AsyncGenerator<ChainEvent, void, undefined> {
    for await (const event of passes.run(() => pass(cursor.current))) {
      yield event;
      cursor.current = event.type === 'records' ? event.cursor : event.ancestor;
    }
  }

  async function backfill(wallet: string, range: { fromBlock: bigint } | { sinceMs: number }): Promise<BackfillResult> {
    const head = await api.tipHeight();
    const sinceSeconds = 'sinceMs' in range ? Math.floor((Date.now() - range.sinceMs) / 1000) : null;
    const fromBlock = 'fromBlock' in range ? range.fromBlock : null;
    const txs = await historyOf(wallet, (height, time) => (fromBlock !== null ? BigInt(height) < fromBlock : time < sinceSeconds!));
    const placed = txs
      .filter((tx) => tx.status.confirmed && tx.status.block_height !== undefined && tx.status.block_hash)
      .reverse()
      .map((tx) => ({
        tx,
        blockNumber: BigInt(tx.status.block_height!),
        blockHash: tx.status.block_hash!,
        blockTime: tx.status.block_time === undefined ? null : new Date(tx.status.block_time * 1000),
      }));
    const records = await priced(placed.flatMap((entry) => buildBitcoinRecords(chain, entry, new Set([wallet]))));
    const first = placed[0]?.blockNumber ?? fromBlock ?? head;
    return { records, skipped: [], fromBlock: fromBlock ?? first, toBlock: head, transactions: placed.length };
  }

  return {
    chain,
    syncOnce: (cursor) => passFrom({ current: cursor }),
    follow(cursor, signal) {
      const position = { current: cursor };
      return followLoop({
        signal,
        logger,
        pass: () => passFrom(position),
        idleMs: () => deps.pollMs ?? Math.max(250, Math.round(chain.blockTimeMs / 10)),
        backoff: { baseMs: 5_000, maxMs: 10 * 60_000 },
        subscribe(wake) {
          const off = deps.walletsChanged?.(wake);
          return () => off?.();
        },
      });
    },
    async readHoldings(wallet) {
      const { chain_stats: confirmed, mempool_stats: pending } = await api.address(wallet);
      const balance = BigInt(confirmed.funded_txo_sum) - BigInt(confirmed.spent_txo_sum) + BigInt(pending.funded_txo_sum) - BigInt(pending.spent_txo_sum);
      return new Map(balance > 0n ? [[NATIVE, balance]] : []);
    },
    // Note: Bitcoin has one asset, BTC, whose symbol and decimals are the chain's own.
    readTokenMetadata: async () => [],
    nativeUsdPrice: async () => null,
    // Note: the USD cost is filled from the price sources (the chain has no price feed of its own).
    feeEstimate: async () => bitcoinFeeEstimate(chain, await readBitcoinFeeEstimates(chain.rpcUrls, { fetch: deps.fetch }), null, new Date()),
    backfill,
    async explain(txid, wallets): Promise<ExplainOutcome> {
      let tx: EsploraTx | null;
      try {
        tx = await api.tx(txid.toLowerCase());
      } catch {
        return { kind: 'unreachable' };
      }
      if (tx === null) return { kind: 'unknown' };
      const payer = bitcoinFeePayer(tx);
      const targets = wallets.length > 0 ? wallets : payer ? [payer] : [];
      const entries = targets.map((wallet) => {
        const delta = bitcoinWalletDeltas(tx, wallet);
        return {
          chain: chain.name,
          tx: tx.txid,
          wallet,
          failed: false,
          fee: delta.fee,
          kind: classifyTrade(delta.deltas, { stablecoins: [], wrappedNative: null }).kind,
          deltas: Object.fromEntries([...delta.deltas].map(([, amount]) => [chain.nativeSymbol, amount])),
          venue: null,
        };
      });
      return { kind: 'found', explained: { entries, tokens: new Map() } };
    },
    close: async () => {},
  };
}

function blockOf(block: EsploraBlock): ProcessedBlock {
  return { number: BigInt(block.height), hash: block.id, parentHash: block.previousblockhash ?? '', timestamp: new Date(block.timestamp * 1000) };
}

import { RetryableError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import type { ChainCursor } from '../ChainDriver.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import { RpcResponseError } from './createJsonRpcClient.js';
import type { RelevantTx } from './createEvmRecordBuilder.js';
import { TRANSFER_TOPIC } from './erc20TransfersOf.js';
import { fetchBlocks, fetchTransactions, fetchTransferLogs, toHex, type RpcBlockLog, type RpcBlockTx, type RpcHeader } from './fetchBlockRange.js';

/** Followed addresses per topic filter: a list of this many 32-byte topics stays within common provider limits. */
export const TOPIC_CHUNK = 500;

/** Wallets per probe batch (two calls each: the client's batch size), and batches in flight at once. */
const PROBE_CHUNK = 25;
const PROBE_PARALLEL = 8;

export type WalletModeReader = {
  /**
   * The transactions of the blocks after `cursor` (whose headers are given, already checked and linked) that
   * touch a followed wallet: those with a Transfer log to or from one, plus, when a wallet's balance or nonce
   * moved over the range, every transaction of the range's bodies sent from or to one.
   */
  relevant(cursor: ChainCursor, headers: RpcHeader[], followed: ReadonlySet<string>): Promise<RelevantTx[]>;
  /** How many ranges needed their block bodies, and how many did not (for logs and benchmarks). */
  readonly stats: { bodies: number; lean: number };
};

type Probe = { balance: string; nonce: string };

/**
 * Wallet mode: reads only what concerns the followed wallets. Transfer logs are asked for with topic1 or topic2
 * among the followed addresses; native coin (sent, received directly or inside a call) always moves a wallet's
 * balance or nonce, so a batched `eth_getBalance` + `eth_getTransactionCount` per wallet at the range's last
 * block, compared with the probe at the cursor, says whether the bodies are needed. Note: this finds every
 * transaction that whole-block mode finds except a zero-value call to a wallet that changes nothing of it,
 * which has no deltas and builds no record in either mode.
 */
export function createWalletModeReader(deps: { rpc: JsonRpcClient; logger: Logger }): WalletModeReader {
  const { rpc, logger } = deps;
  /** The last probe, at the block hash it was taken at: the next range's "before". */
  let last: { hash: string; probes: Map<string, Probe> } | undefined;
  const stats = { bodies: 0, lean: 0 };

  async function probe(wallets: string[], block: bigint): Promise<Map<string, Probe>> {
    // Note: batches of a few hundred wallets go out side by side, a few at a time, so that the probe of a
    // large set takes a few round trips rather than one per batch.
    const chunks: string[][] = [];
    for (let i = 0; i < wallets.length; i += PROBE_CHUNK) chunks.push(wallets.slice(i, i + PROBE_CHUNK));
    const answers: string[] = [];
    for (let i = 0; i < chunks.length; i += PROBE_PARALLEL) {
      const round = await Promise.all(
        chunks.slice(i, i + PROBE_PARALLEL).map((chunk) =>
          rpc.batch<string>(
            chunk.flatMap((wallet) => [
              { method: 'eth_getBalance', params: [wallet, toHex(block)] },
              { method: 'eth_getTransactionCount', params: [wallet, toHex(block)] },
            ]),
          ),
        ),
      );
      for (const part of round) answers.push(...part);
    }
    return new Map(wallets.map((wallet, i) => [wallet, { balance: String(answers[2 * i]), nonce: String(answers[2 * i + 1]) }]));
  }

  /** Whether any followed wallet's balance or nonce moved between the cursor and the range's last block. */
  async function nativeMoved(cursor: ChainCursor, lastHeader: RpcHeader, wallets: string[]): Promise<boolean> {
    const to = BigInt(lastHeader.number);
    try {
      const known = last && last.hash === cursor.hash ? last.probes : undefined;
      const missing = known ? wallets.filter((wallet) => !known.has(wallet)) : wallets;
      const before = new Map(known);
      if (missing.length > 0) for (const [wallet, value] of await probe(missing, cursor.number)) before.set(wallet, value);
      const after = await probe(wallets, to);
      last = { hash: lastHeader.hash, probes: after };
      return wallets.some((wallet) => {
        const a = before.get(wallet)!;
        const b = after.get(wallet)!;
        return BigInt(a.balance) !== BigInt(b.balance) || BigInt(a.nonce) !== BigInt(b.nonce);
      });
    } catch (error) {
      // Note: a node without the state of an older block (a pruned node while catching up) cannot be probed;
      // reading the bodies is always exact, so that is what happens.
      if (!(error instanceof RpcResponseError)) throw error;
      logger.debug({ err: error, block: to.toString() }, 'balance probe refused; reading the block bodies');
      last = undefined;
      return true;
    }
  }

  async function walletLogs(from: bigint, to: bigint, wallets: string[]): Promise<RpcBlockLog[]> {
    const filters: (string | string[] | null)[][] = [];
    for (let i = 0; i < wallets.length; i += TOPIC_CHUNK) {
      const topics = wallets.slice(i, i + TOPIC_CHUNK).map((wallet) => `0x${wallet.slice(2).padStart(64, '0')}`);
      filters.push([TRANSFER_TOPIC, topics], [TRANSFER_TOPIC, null, topics]);
    }
    const answers = await Promise.all(filters.map((topics) => fetchTransferLogs(rpc, from, to, topics)));
    const seen = new Set<string>();
    return answers.flat().filter((log) => {
      const key = `${log.transactionHash}|${String(log.logIndex)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  return {
    stats,
    async relevant(cursor, headers, followed) {
      if (headers.length === 0 || followed.size === 0) return [];
      const wallets = [...followed];
      const from = BigInt(headers[0]!.number);
      const lastHeader = headers[headers.length - 1]!;
      const to = BigInt(lastHeader.number);
      const byHash = new Map(headers.map((header) => [header.hash, header]));
      const [logs, moved] = await Promise.all([walletLogs(from, to, wallets), nativeMoved(cursor, lastHeader, wallets)]);
      for (const log of logs) {
        // Note: a log from a block we did not read means the chain moved under us; reading again sorts it out.
        if (!byHash.has(log.blockHash)) throw new RetryableError('The chain changed while its logs were read; reading them again.', { details: log.blockHash });
      }
      const relevant = new Map<string, RelevantTx>();
      const add = (header: RpcHeader, tx: RpcBlockTx) =>
        relevant.set(tx.hash, { blockNumber: BigInt(header.number), blockHash: header.hash, blockTime: new Date(Number(BigInt(header.timestamp)) * 1000), tx });
      if (moved) {
        stats.bodies++;
        const bodies = await fetchBlocks(rpc, from, to);
        bodies.forEach((body, i) => {
          if (!body || body.hash !== headers[i]!.hash) {
            throw new RetryableError('The chain changed while its blocks were read; reading them again.', { details: `block ${from + BigInt(i)}` });
          }
          for (const tx of body.transactions) {
            if (followed.has(tx.from.toLowerCase()) || (tx.to && followed.has(tx.to.toLowerCase()))) add(body, tx);
          }
        });
        for (const log of logs) {
          if (relevant.has(log.transactionHash)) continue;
          const body = bodies.find((candidate) => candidate!.hash === log.blockHash)!;
          const tx = body.transactions.find((candidate) => candidate.hash === log.transactionHash);
          if (tx) add(body, tx);
        }
      } else {
        stats.lean++;
        const hashes = [...new Set(logs.map((log) => log.transactionHash))];
        const txs = await fetchTransactions(rpc, hashes);
        txs.forEach((tx, i) => {
          const header = tx ? byHash.get(tx.blockHash) : undefined;
          if (!tx || !header) throw new RetryableError('The RPC did not return a transaction of a fetched block; reading it again.', { details: hashes[i] });
          add(header, tx);
        });
      }
      return [...relevant.values()];
    },
  };
}

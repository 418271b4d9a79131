import { setTimeout as sleep } from 'node:timers/promises';
import { RetryableError } from '../../errors/LookoutError.js';
import type { Logger } from '../../logger.js';
import { backoffDelay } from '../backoff.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import { RpcResponseError } from './createJsonRpcClient.js';
import { decodeEvmTransaction } from './decodeEvmTransaction.js';
import type { RpcReceipt, RpcTx } from './evmRpcTypes.js';
import { toHex } from './fetchBlockRange.js';
import { internalNativeFromTrace, type CallFrame } from './internalNativeFromTrace.js';

export type TxForInternal = { hash: string; blockNumber: bigint; tx: RpcTx & { from: string }; receipt: RpcReceipt; wallets: string[] };

/** Native coin per transaction hash, then per wallet. */
export type NativeByTx = Map<string, Map<string, bigint>>;

export type InternalNative = {
  /** What each followed wallet got or gave through internal calls, per transaction. */
  moved: NativeByTx;
  /**
   * Measured from balances only: native coin a wallet got or gave inside calls during a block in which it
   * sent several transactions, which cannot be split between them. Every one of those transactions carries
   * the block's total here, and none of it in `moved`.
   */
  unsplit: NativeByTx;
};

export type InternalNativeMeter = {
  measure(txs: TxForInternal[]): Promise<InternalNative>;
  readonly method: () => 'trace' | 'balance' | 'unknown';
};

/** Attempts at tracing a batch before the block is given up for now (each with the client's own retries). */
const TRACE_ATTEMPTS = 4;

/**
 * Whether a node's error says it does not offer call traces at all, as opposed to failing this once:
 * "method not found" (-32601), or a message saying the method or the tracer is unsupported or disabled.
 */
export function tracesUnsupported(error: unknown): boolean {
  if (!(error instanceof RpcResponseError)) return false;
  if (error.code === -32601) return true;
  return /method not found|not supported|unsupported|does not exist|not available|is not enabled|disabled|unknown method/i.test(error.message);
}

/**
 * Measures native coin received inside calls (a router unwrapping WETH to the seller), which receipts do
 * not show. It uses a call trace where the node offers `debug_traceTransaction`; only when every endpoint says it
 * does not (see tracesUnsupported) does it switch to the wallet's balance before and after the block, less
 * what the receipts explain. A trace that fails otherwise is retried, then the error is thrown so that the
 * block waits: a flaky trace never sends a block down the balance path. Note: with balances, a wallet with
 * several transactions in one block cannot be split per transaction (a plain node has no balance between
 * two transactions): unless all but one of them call addresses without code, the remainder is reported as
 * unsplit on each of them rather than guessed.
 */
export function createInternalNativeMeter(
  rpc: JsonRpcClient,
  logger: Logger,
  /** `attempts`: tries at tracing a batch before it is given up (default 4). */
  options: { baseDelayMs?: number; attempts?: number } = {},
): InternalNativeMeter {
  const attempts = options.attempts ?? TRACE_ATTEMPTS;
  let method: 'trace' | 'balance' | 'unknown' = 'unknown';
  /** Endpoints that said they offer no call traces; the balance method is used once every endpoint has. */
  const untraced = new Set<string>();
  const baseDelayMs = options.baseDelayMs ?? 250;

  async function byTrace(txs: TxForInternal[]): Promise<NativeByTx> {
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(backoffDelay(attempt - 1, baseDelayMs, 10_000));
      try {
        const traces = await rpc.batch<CallFrame | null>(
          txs.map((item) => ({ method: 'debug_traceTransaction', params: [item.hash, { tracer: 'callTracer' }] })),
        );
        if (traces.every(isCallFrame)) {
          return new Map(txs.map((item, i) => [item.hash, internalNativeFromTrace(traces[i]!, new Set(item.wallets))]));
        }
        lastError = new RetryableError('The RPC answered debug_traceTransaction without a trace.');
      } catch (error) {
        if (tracesUnsupported(error)) {
          untraced.add((error as RpcResponseError).endpoint ?? '');
          // Note: with several endpoints, one without traces is failed over to only while the others fail.
          if (untraced.size >= rpc.endpoints) throw error;
        }
        lastError = error;
      }
      if (attempt === 0) logger.warn({ err: lastError, txs: txs.length }, 'call trace failed; retrying');
    }
    throw new RetryableError('Call traces failed repeatedly; the block waits until they work again.', {
      details: describe(lastError),
      cause: lastError,
    });
  }

  async function byBalance(txs: TxForInternal[]): Promise<InternalNative> {
    const moved: NativeByTx = new Map();
    const unsplit: NativeByTx = new Map();
    const add = (into: NativeByTx, hash: string, wallet: string, amount: bigint) => {
      const perTx = into.get(hash) ?? new Map<string, bigint>();
      perTx.set(wallet, (perTx.get(wallet) ?? 0n) + amount);
      into.set(hash, perTx);
    };
    // Note: a failed transaction moves no coin inside calls but its fee is in the balance, so it is explained, never a candidate.
    const groups = new Map<string, TxForInternal[]>();
    for (const item of txs) {
      for (const wallet of item.wallets) {
        const key = `${item.blockNumber}|${wallet}`;
        groups.set(key, [...(groups.get(key) ?? []), item]);
      }
    }
    const keys = [...groups.keys()];
    const balances = await rpc.batch<string>(
      keys.flatMap((key) => {
        const [block, wallet] = key.split('|') as [string, string];
        const n = BigInt(block);
        return [
          { method: 'eth_getBalance', params: [wallet, toHex(n - 1n)] },
          { method: 'eth_getBalance', params: [wallet, toHex(n)] },
        ];
      }),
    );
    const remainders = keys.map((key, i) => {
      const wallet = key.split('|')[1]!;
      const items = groups.get(key)!;
      const actual = BigInt(balances[2 * i + 1]!) - BigInt(balances[2 * i]!);
      let explained = 0n;
      for (const item of items) {
        const [delta] = decodeEvmTransaction({ tx: item.tx, receipt: item.receipt }, [wallet]);
        if (delta) explained += (delta.deltas.get('native') ?? 0n) - delta.fee;
      }
      const candidates = items.filter((item) => item.receipt.status !== '0x0' && item.receipt.status !== 'reverted');
      return { wallet, remainder: actual - explained, candidates };
    });
    // Note: a call to an address without code runs nothing, so it cannot move coin inside calls; asking for the
    // code of the callees in blocks where a wallet has several transactions can leave only one candidate.
    const shared = remainders.filter((entry) => entry.remainder !== 0n && entry.candidates.length > 1);
    const callees = [...new Set(shared.flatMap((entry) => entry.candidates.map((item) => `${item.blockNumber}|${item.tx.to?.toLowerCase() ?? ''}`)))].filter(
      (key) => !key.endsWith('|'),
    );
    const codes = await rpc.batch<string>(
      callees.map((key) => {
        const [block, address] = key.split('|') as [string, string];
        return { method: 'eth_getCode', params: [address, toHex(BigInt(block))] };
      }),
    );
    const codeless = new Set(callees.filter((_, i) => codes[i] === '0x'));
    for (const { wallet, remainder, candidates: all } of remainders) {
      const candidates = all.length > 1 ? all.filter((item) => !codeless.has(`${item.blockNumber}|${item.tx.to?.toLowerCase() ?? ''}`)) : all;
      if (remainder === 0n || candidates.length === 0) continue;
      if (candidates.length === 1) {
        add(moved, candidates[0]!.hash, wallet, remainder);
        continue;
      }
      // Note: a plain node has no balance between two transactions of one block; guessing which one got the
      // coin (or summing it into one) would alert a wrong amount, so every one of them says it is unsplit.
      for (const item of candidates) add(unsplit, item.hash, wallet, remainder);
    }
    return { moved, unsplit };
  }

  return {
    method: () => method,
    async measure(txs) {
      const candidates = txs.filter((item) => item.wallets.length > 0);
      if (candidates.length === 0) return { moved: new Map(), unsplit: new Map() };
      if (method !== 'balance') {
        try {
          const traced = await byTrace(candidates);
          if (method === 'unknown') logger.info('measuring native coin moved inside calls with call traces');
          method = 'trace';
          return { moved: traced, unsplit: new Map() };
        } catch (error) {
          if (!tracesUnsupported(error)) throw error;
          logger.info({ reason: (error as Error).message }, 'the node offers no call traces; measuring internal native coin from balances');
          method = 'balance';
        }
      }
      return byBalance(candidates);
    },
  };
}

function isCallFrame(value: unknown): value is CallFrame {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

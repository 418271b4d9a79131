import type { Logger } from '../../logger.js';
import type { JsonRpcClient } from './createJsonRpcClient.js';
import { RpcResponseError } from './createJsonRpcClient.js';
import { decodeEvmTransaction } from './decodeEvmTransaction.js';
import type { RpcReceipt, RpcTx } from './evmRpcTypes.js';
import { toHex } from './fetchBlockRange.js';
import { internalNativeFromTrace, type CallFrame } from './internalNativeFromTrace.js';

export type TxForInternal = { hash: string; blockNumber: bigint; tx: RpcTx & { from: string }; receipt: RpcReceipt; wallets: string[] };

export type InternalNativeMeter = {
  /** Native coin each followed wallet got or gave through internal calls, per transaction hash. */
  measure(txs: TxForInternal[]): Promise<Map<string, Map<string, bigint>>>;
  readonly method: () => 'trace' | 'balance' | 'unknown';
};

/**
 * Measures native coin received inside calls (a router unwrapping WETH to the seller), which receipts do
 * not show. It uses a call trace where the node offers `debug_traceTransaction`; otherwise the wallet's
 * balance before and after the block, less what the receipts explain. Note: with balances, when a wallet
 * has several transactions in one block, the unexplained remainder goes to the last one that sent tokens
 * (a sale), or else to its last transaction.
 */
export function createInternalNativeMeter(rpc: JsonRpcClient, logger: Logger): InternalNativeMeter {
  let method: 'trace' | 'balance' | 'unknown' = 'unknown';

  async function byTrace(txs: TxForInternal[]): Promise<Map<string, Map<string, bigint>>> {
    const traces = await rpc.batch<CallFrame>(
      txs.map((item) => ({ method: 'debug_traceTransaction', params: [item.hash, { tracer: 'callTracer' }] })),
    );
    return new Map(txs.map((item, i) => [item.hash, internalNativeFromTrace(traces[i]!, new Set(item.wallets))]));
  }

  async function byBalance(txs: TxForInternal[]): Promise<Map<string, Map<string, bigint>>> {
    const result = new Map<string, Map<string, bigint>>();
    const groups = new Map<string, TxForInternal[]>();
    for (const item of txs) {
      if (item.receipt.status === '0x0') continue;
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
    keys.forEach((key, i) => {
      const wallet = key.split('|')[1]!;
      const items = groups.get(key)!;
      const actual = BigInt(balances[2 * i + 1]!) - BigInt(balances[2 * i]!);
      let explained = 0n;
      for (const item of items) {
        const [delta] = decodeEvmTransaction({ tx: item.tx, receipt: item.receipt }, [wallet]);
        if (delta) explained += (delta.deltas.get('native') ?? 0n) - delta.fee;
      }
      const remainder = actual - explained;
      if (remainder === 0n) return;
      const target =
        [...items].reverse().find((item) => item.receipt.logs.some((log) => log.topics[1]?.endsWith(wallet.slice(2)))) ??
        items[items.length - 1]!;
      const perTx = result.get(target.hash) ?? new Map<string, bigint>();
      perTx.set(wallet, (perTx.get(wallet) ?? 0n) + remainder);
      result.set(target.hash, perTx);
    });
    return result;
  }

  return {
    method: () => method,
    async measure(txs) {
      const candidates = txs.filter((item) => item.wallets.length > 0);
      if (candidates.length === 0) return new Map();
      if (method !== 'balance') {
        try {
          const traced = await byTrace(candidates);
          if (method === 'unknown') logger.info('measuring native coin moved inside calls with call traces');
          method = 'trace';
          return traced;
        } catch (error) {
          if (!(error instanceof RpcResponseError)) throw error;
          logger.info({ reason: error.message }, 'call traces unavailable; measuring internal native coin from balances');
          method = 'balance';
        }
      }
      return byBalance(candidates);
    },
  };
}

import { parseQuantity } from './parseQuantity.js';

/** A frame of the `callTracer` of `debug_traceTransaction`. */
export type CallFrame = {
  type?: string;
  from?: string;
  to?: string;
  value?: string | null;
  error?: string;
  calls?: CallFrame[];
};

/**
 * Native coin moved by internal calls (depth 1 and below) to and from each of `wallets`, from a call
 * trace. The top frame is the transaction's own value, which the receipt decoder already counts, and
 * a reverted frame moves nothing, nor do the frames under it.
 */
export function internalNativeFromTrace(trace: CallFrame, wallets: ReadonlySet<string>): Map<string, bigint> {
  const moved = new Map<string, bigint>();
  if (trace.error) return moved;
  const add = (wallet: string, amount: bigint) => moved.set(wallet, (moved.get(wallet) ?? 0n) + amount);
  const walk = (frame: CallFrame) => {
    for (const call of frame.calls ?? []) {
      if (call.error) continue;
      const value = call.value ? parseQuantity(call.value, 'call.value') : 0n;
      // Note: DELEGATECALL and STATICCALL frames repeat the caller's value without moving it.
      const moves = value > 0n && call.type !== 'DELEGATECALL' && call.type !== 'STATICCALL';
      const to = call.to?.toLowerCase();
      const from = call.from?.toLowerCase();
      if (moves && to && wallets.has(to)) add(to, value);
      if (moves && from && wallets.has(from)) add(from, -value);
      walk(call);
    }
  };
  walk(trace);
  for (const [wallet, amount] of moved) if (amount === 0n) moved.delete(wallet);
  return moved;
}

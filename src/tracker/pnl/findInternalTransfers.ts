import type { PnlTrade } from './types.js';

function isTransfer(trade: PnlTrade): boolean {
  return trade.kind === 'transfer_in' || trade.kind === 'transfer_out';
}

/** The legs of a transfer as seen by the receiving side, so both sides of one move compare equal. */
function receivedLegs(trade: PnlTrade): string {
  const sign = trade.kind === 'transfer_out' ? -1n : 1n;
  return trade.legs
    .filter((leg) => leg.amount !== 0n)
    .map((leg) => `${leg.asset}:${leg.amount * sign}`)
    .sort()
    .join(',');
}

/**
 * Ids of the transfers that stay inside the scope: those whose counterparty is a wallet of the
 * scope, and a transfer_out and transfer_in of two scope wallets in one transaction moving the
 * same amounts (for chains that do not name the counterparty).
 */
export function findInternalTransfers(trades: readonly PnlTrade[], scopeWallets: ReadonlySet<string>): Set<string> {
  const internal = new Set<string>();
  const unmatchedOuts = new Map<string, PnlTrade[]>();
  const ins: PnlTrade[] = [];
  for (const trade of trades) {
    if (!isTransfer(trade)) continue;
    if (trade.counterparty !== null && scopeWallets.has(trade.counterparty)) {
      internal.add(trade.id);
      continue;
    }
    if (trade.kind === 'transfer_in') {
      ins.push(trade);
      continue;
    }
    const key = `${trade.chain}|${trade.tx}|${receivedLegs(trade)}`;
    unmatchedOuts.set(key, [...(unmatchedOuts.get(key) ?? []), trade]);
  }
  for (const trade of ins) {
    const candidates = unmatchedOuts.get(`${trade.chain}|${trade.tx}|${receivedLegs(trade)}`) ?? [];
    const index = candidates.findIndex((out) => out.wallet !== trade.wallet);
    if (index < 0) continue;
    internal.add(trade.id);
    internal.add(candidates[index]!.id);
    candidates.splice(index, 1);
  }
  return internal;
}

import type { AssetTransfer } from '../tradeRecord.js';
import { NATIVE_MINTS } from './computeSolanaDeltas.js';
import type { SolanaTokenBalance } from './readTokenBalances.js';

/**
 * The SPL token movements of one transaction between owners, read from its token balances:
 * per mint, what each owner lost is matched to what others gained, in the order the balances
 * list them. Tokens minted or burnt have the mint as their other side. Positions number the
 * moves of the whole transaction, so that each stays unique whichever wallet stores it.
 *
 * Note: balances show net changes, not instructions: A → B → C in one transaction is one move
 * A → C, and wrapped SOL is left out because the deltas count it as SOL.
 */
export function splTokenMoves(balances: { pre: SolanaTokenBalance[]; post: SolanaTokenBalance[] }): AssetTransfer[] {
  const byMint = new Map<string, Map<string, bigint>>();
  const add = (balance: SolanaTokenBalance, sign: 1n | -1n): void => {
    if (NATIVE_MINTS.has(balance.mint)) return;
    const owners = byMint.get(balance.mint) ?? new Map<string, bigint>();
    byMint.set(balance.mint, owners);
    owners.set(balance.owner, (owners.get(balance.owner) ?? 0n) + sign * balance.amount);
  };
  for (const balance of balances.pre) add(balance, -1n);
  for (const balance of balances.post) add(balance, 1n);

  const moves: AssetTransfer[] = [];
  for (const [mint, owners] of byMint) {
    const senders = [...owners].filter(([, change]) => change < 0n).map(([owner, change]) => ({ owner, left: -change }));
    const receivers = [...owners].filter(([, change]) => change > 0n).map(([owner, change]) => ({ owner, left: change }));
    let s = 0;
    let r = 0;
    while (s < senders.length && r < receivers.length) {
      const from = senders[s]!;
      const to = receivers[r]!;
      const amount = from.left < to.left ? from.left : to.left;
      moves.push({ position: moves.length, asset: mint, from: from.owner, to: to.owner, amount });
      from.left -= amount;
      to.left -= amount;
      if (from.left === 0n) s++;
      if (to.left === 0n) r++;
    }
    for (; s < senders.length; s++) moves.push({ position: moves.length, asset: mint, from: senders[s]!.owner, to: mint, amount: senders[s]!.left });
    for (; r < receivers.length; r++) moves.push({ position: moves.length, asset: mint, from: mint, to: receivers[r]!.owner, amount: receivers[r]!.left });
  }
  return moves;
}

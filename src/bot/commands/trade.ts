import { formatAmount } from '../../tracker/formatAmount.js';
import { addManualTrade, type ManualAsset, type TradeAddArgs } from '../../usecases/addManualTrade.js';
import { removeManualTrade } from '../../usecases/removeManualTrade.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { wordDbErrors } from './dbErrorMessage.js';

export type TradeArgs = ({ action: 'add' } & TradeAddArgs) | { action: 'remove'; id: string | undefined };

/** Records or removes a trade made off chain (over the counter, on an exchange); it counts in PnL like an on-chain one. */
export async function trade(ctx: CommandContext, args: TradeArgs, now = new Date()): Promise<Reply> {
  if (args.action === 'remove') {
    const removed = await wordDbErrors(() => removeManualTrade(ctx, args.id));
    return { title: 'Manual trade removed', tone: 'success', lines: [`Manual trade #${removed.id} is removed; PnL no longer counts it.`], data: { id: removed.id } };
  }
  const added = await wordDbErrors(() => addManualTrade(ctx, args, now));
  const { trade: stored, wallet, token, quote, fee, typed } = added;
  const shown = (raw: bigint, asset: ManualAsset, typedAsset: string) => `${formatAmount(raw, asset.decimals)} ${asset.symbol ?? typedAsset}`;
  const lines = [
    `#${stored.id}: ${stored.side.toUpperCase()} ${shown(stored.amount, token, typed.amount.asset)} for ${shown(stored.quoteAmount, quote, typed.total.asset)}` +
      `${stored.feeAmount !== null && fee && typed.fee ? `, fee ${shown(stored.feeAmount, fee, typed.fee.asset)}` : ''} on ${wallet.label} [${wallet.chain}] at ${stored.tradedAt.toISOString()}.`,
  ];
  if (stored.usdValue === null) lines.push(`${quote.symbol ?? typed.total.asset} has no USD price for that time, so PnL holds what was bought at an unknown cost.`);
  lines.push(`It counts in PnL as a manual trade; lookout trade remove ${stored.id} undoes it.`);
  return {
    title: 'Manual trade recorded',
    tone: 'success',
    lines,
    data: {
      id: stored.id,
      wallet: wallet.label,
      chain: wallet.chain,
      side: stored.side,
      asset: stored.asset,
      symbol: stored.symbol,
      amount: typed.amount.text,
      quote: stored.quoteSymbol ?? stored.quoteAsset,
      total: typed.total.text,
      usdValue: stored.usdValue,
      feeUsd: stored.feeUsd,
      at: stored.tradedAt.toISOString(),
      note: stored.note,
    },
  };
}

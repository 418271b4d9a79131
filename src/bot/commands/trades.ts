import { explorerUrl } from '../../config/chainPresets.js';
import { formatAmount, formatUsd, toDecimalString } from '../../tracker/formatAmount.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import { listTrades, type ListTradesArgs, type ManualTradeListing, type TradeListing } from '../../usecases/listTrades.js';
import type { CommandContext } from '../commandContext.js';
import type { Line, Reply } from '../reply.js';
import { wordDbErrors } from './dbErrorMessage.js';

export type TradesArgs = ListTradesArgs;

/** Lists the stored trades of the workspace's wallets, newest first, optionally for one wallet or group. */
export async function trades(ctx: CommandContext, args: TradesArgs, now = new Date()): Promise<Reply> {
  const { onChain: rows, manual } = await wordDbErrors(() => listTrades(ctx, args, now));
  const lines: Line[] = rows.map((row) => tradeLine(ctx, row));
  if (manual.length > 0) lines.push(`Manual trades (${manual.length}):`, ...manual.map(manualLine));
  return {
    title: `Trades (${rows.length + manual.length})`,
    tone: 'info',
    lines: lines.length ? lines : ['No trades yet for these wallets.'],
    data: [
      ...rows.map((row) => ({
        chain: row.chain,
        tx: row.txHash,
        wallet: row.wallet,
        label: row.label,
        kind: row.kind,
        time: (row.blockTime ?? row.createdAt).toISOString(),
        block: row.blockNumber.toString(),
        base: side(row.baseAsset, row.baseAmount, row.base),
        quote: side(row.quoteAsset, row.quoteAmount, row.quote),
        usd: row.usdValue,
        venue: row.venue,
      })),
      ...manual.map((row) => ({
        chain: row.chain,
        tx: `manual-${row.id}`,
        wallet: row.wallet,
        label: row.label,
        kind: row.side,
        time: row.tradedAt.toISOString(),
        manual: true,
        base: { asset: row.asset, symbol: row.symbol, amount: toDecimalString(row.amount, row.decimals), raw: row.amount.toString() },
        quote: { asset: row.quoteAsset, symbol: row.quoteSymbol, amount: toDecimalString(row.quoteAmount, row.quoteDecimals), raw: row.quoteAmount.toString() },
        usd: row.usdValue,
        note: row.note,
      })),
    ],
  };
}

function manualLine(row: ManualTradeListing): Line {
  const time = row.tradedAt.toISOString().replace('T', ' ').slice(0, 16);
  const amount = `${formatAmount(row.amount, row.decimals)} ${row.symbol ?? row.asset}`;
  const total = `${formatAmount(row.quoteAmount, row.quoteDecimals)} ${row.quoteSymbol ?? row.quoteAsset}`;
  return [
    { text: `${time} [${row.chain}] ` },
    { text: row.label, bold: true },
    { text: ` ${row.side.toUpperCase()} ${amount} for ${total} (${formatUsd(row.usdValue)}) · manual #${row.id}${row.note ? ` · ${row.note}` : ''}` },
  ];
}

function side(asset: string | null, amount: bigint | null, token: TradeListing['base']) {
  if (asset === null || amount === null) return null;
  return {
    asset,
    symbol: token.symbol,
    amount: token.decimals === null ? null : toDecimalString(amount, token.decimals),
    raw: amount.toString(),
  };
}

function tradeLine(ctx: CommandContext, row: TradeListing): Line {
  const chain = ctx.config.chains.find((candidate) => candidate.name === row.chain);
  const amount = (asset: string | null, raw: bigint | null, token: TradeListing['base']) =>
    asset === null || raw === null
      ? ''
      : `${token.decimals === null ? raw.toString() : formatAmount(raw, token.decimals)} ${token.symbol ?? shortAddress(asset)}`;
  const time = (row.blockTime ?? row.createdAt).toISOString().replace('T', ' ').slice(0, 16);
  return [
    { text: `${time} [${row.chain}] ` },
    { text: row.label, bold: true },
    { text: ` ${row.kind.toUpperCase()} ${amount(row.baseAsset, row.baseAmount, row.base)}` },
    { text: row.quoteAsset ? ` for ${amount(row.quoteAsset, row.quoteAmount, row.quote)}` : '' },
    { text: ` (${formatUsd(row.usdValue)}) · ` },
    chain ? { text: shortAddress(row.txHash), url: explorerUrl(chain, 'tx', row.txHash) } : { text: row.txHash },
  ];
}

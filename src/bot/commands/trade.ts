import { and, eq } from 'drizzle-orm';
import type { ChainConfig } from '../../config/chainPresets.js';
import { deleteManualTrade, insertManualTrade } from '../../db/manualTradeQueries.js';
import { tokens } from '../../db/schema.js';
import { listWallets, requireWallets, type TrackedWallet } from '../../db/walletQueries.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { formatAmount } from '../../tracker/formatAmount.js';
import { Rational } from '../../tracker/pnl/Rational.js';
import { NATIVE } from '../../tracker/walletDeltas.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { MANUAL_CHAIN } from './manualWallet.js';
import { parseManualTrade, parseTradeId, toRawAmount, type TradeAddArgs, type TypedAmount } from './parseManualTrade.js';

export type TradeArgs = ({ action: 'add' } & TradeAddArgs) | { action: 'remove'; id: string | undefined };

/** An asset a manual trade names, resolved on the wallet's chain. */
type Asset = { asset: string; symbol: string | null; decimals: number; usd: boolean };

// Note: symbols on a manual wallet have no contract to read decimals from; 18 holds any amount typed by hand exactly.
const SYMBOL_DECIMALS = 18;
const USD_SYMBOLS = new Set(['USD', 'USDC', 'USDT', 'DAI']);
const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._$-]{0,19}$/;

/** Records or removes a trade made off chain (over the counter, on an exchange); it counts in PnL like an on-chain one. */
export async function trade(ctx: CommandContext, args: TradeArgs, now = new Date()): Promise<Reply> {
  if (args.action === 'remove') {
    const id = parseTradeId(args.id);
    const removed = await deleteManualTrade(ctx.db, { workspaceId: ctx.workspaceId, id, actor: ctx.actor });
    if (!removed) throw new UserInputError(`There is no manual trade #${id} in this workspace; lookout trades --csv lists them.`);
    return { title: 'Manual trade removed', tone: 'success', lines: [`Manual trade #${id} is removed; PnL no longer counts it.`], data: { id } };
  }
  const input = parseManualTrade(args, now);
  const wallet = await walletFor(ctx, input.wallet, input.chain, input.amount.asset);
  const chain = ctx.config.chains.find((candidate) => candidate.name === wallet.chain) ?? null;
  const token = await resolveAsset(ctx, wallet, chain, input.amount.asset, false);
  if (token.usd) throw new UserInputError(`${input.amount.asset} is money in Lookout, not a position; record the token bought or sold with it.`);
  const quote = await resolveAsset(ctx, wallet, chain, input.total.asset, true);
  const fee = input.fee && (await resolveAsset(ctx, wallet, chain, input.fee.asset, true));
  const raw = (typed: TypedAmount, asset: Asset) => toRawAmount(typed.text, asset.decimals, asset.symbol ?? typed.asset);
  const amount = raw(input.amount, token);
  const total = raw(input.total, quote);
  const feeAmount = input.fee && fee ? raw(input.fee, fee) : null;
  const usdOf = (typed: TypedAmount, asset: Asset) => (asset.usd ? Rational.parse(typed.text).toDecimalString(asset.decimals) : null);
  const stored = await insertManualTrade(ctx.db, {
    workspaceId: ctx.workspaceId,
    walletId: wallet.id,
    side: input.side,
    asset: token.asset,
    symbol: token.symbol,
    decimals: token.decimals,
    amount,
    quoteAsset: quote.asset,
    quoteSymbol: quote.symbol,
    quoteDecimals: quote.decimals,
    quoteAmount: total,
    feeAsset: fee?.asset ?? null,
    feeSymbol: fee?.symbol ?? null,
    feeDecimals: fee?.decimals ?? null,
    feeAmount,
    usdValue: usdOf(input.total, quote),
    feeUsd: input.fee && fee ? usdOf(input.fee, fee) : null,
    tradedAt: input.at ?? now,
    note: input.note,
    createdBy: ctx.actor,
  });
  const shown = (rawAmount: bigint, asset: Asset, typed: string) => `${formatAmount(rawAmount, asset.decimals)} ${asset.symbol ?? typed}`;
  const lines = [
    `#${stored.id}: ${input.side.toUpperCase()} ${shown(amount, token, input.amount.asset)} for ${shown(total, quote, input.total.asset)}` +
      `${feeAmount !== null && fee ? `, fee ${shown(feeAmount, fee, input.fee!.asset)}` : ''} on ${wallet.label} [${wallet.chain}] at ${stored.tradedAt.toISOString()}.`,
  ];
  if (stored.usdValue === null) lines.push(`${quote.symbol ?? input.total.asset} has no USD price for that time, so PnL holds what was bought at an unknown cost.`);
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
      amount: input.amount.text,
      quote: stored.quoteSymbol ?? stored.quoteAsset,
      total: input.total.text,
      usdValue: stored.usdValue,
      feeUsd: stored.feeUsd,
      at: stored.tradedAt.toISOString(),
      note: stored.note,
    },
  };
}

/** The wallet a manual trade is for: the one named, or the workspace's only one; on a tracked address, the chain that knows the token. */
async function walletFor(ctx: CommandContext, label: string | undefined, chainName: string | undefined, token: string): Promise<TrackedWallet> {
  let candidates: TrackedWallet[];
  if (label !== undefined) {
    candidates = await requireWallets(ctx.db, ctx.workspaceId, label);
  } else {
    const all = await listWallets(ctx.db, ctx.workspaceId);
    const labels = new Set(all.map((wallet) => wallet.label.toLowerCase()));
    if (labels.size !== 1) {
      throw new UserInputError(
        all.length === 0
          ? 'No wallet is tracked yet; add one with lookout track --manual <label> for trades made off chain.'
          : 'Name the wallet with --wallet <label>; this workspace has several.',
      );
    }
    candidates = all;
  }
  if (chainName !== undefined) candidates = candidates.filter((wallet) => wallet.chain === chainName.trim().toLowerCase());
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new UserInputError(`That wallet is not tracked on ${chainName}; lookout wallets lists its chains.`);
  const knowing: TrackedWallet[] = [];
  for (const wallet of candidates) {
    const chain = ctx.config.chains.find((candidate) => candidate.name === wallet.chain) ?? null;
    if (await findAsset(ctx, chain, wallet, token)) knowing.push(wallet);
  }
  if (knowing.length === 1) return knowing[0]!;
  throw new UserInputError(
    `${candidates[0]!.label} is tracked on ${candidates.map((wallet) => wallet.chain).join(', ')}; add --chain NAME to say which chain ${token} was traded on.`,
  );
}

async function findAsset(ctx: CommandContext, chain: ChainConfig | null, wallet: TrackedWallet, typed: string): Promise<Asset | null> {
  const text = typed.trim();
  if (wallet.chain === MANUAL_CHAIN || chain === null) {
    if (!SYMBOL.test(text)) return null;
    const symbol = text.toUpperCase();
    return { asset: symbol, symbol, decimals: SYMBOL_DECIMALS, usd: USD_SYMBOLS.has(symbol) };
  }
  if (text.toLowerCase() === NATIVE || text.toUpperCase() === chain.nativeSymbol.toUpperCase()) {
    return { asset: NATIVE, symbol: chain.nativeSymbol, decimals: chain.nativeDecimals, usd: false };
  }
  const address = chain.kind === 'evm' ? text.toLowerCase() : text;
  const [row] = await ctx.db
    .select()
    .from(tokens)
    .where(and(eq(tokens.chain, chain.name), eq(tokens.address, address)));
  if (!row) return null;
  return { asset: address, symbol: row.symbol, decimals: row.decimals, usd: chain.stablecoins.includes(address) || row.isStablecoin };
}

async function resolveAsset(ctx: CommandContext, wallet: TrackedWallet, chain: ChainConfig | null, typed: string, money: boolean): Promise<Asset> {
  if (money && typed.trim().toUpperCase() === 'USD') return { asset: 'USD', symbol: 'USD', decimals: SYMBOL_DECIMALS, usd: true };
  const found = await findAsset(ctx, chain, wallet, typed);
  if (found) return found;
  if (wallet.chain === MANUAL_CHAIN || chain === null) {
    throw new UserInputError(`'${typed}' is not a token symbol; write letters and digits such as ETH or USDC.`);
  }
  throw new UserInputError(
    `Lookout does not know the token ${typed} on ${chain.name}; give a token address it has seen on ${chain.name}, ${chain.nativeSymbol}${money ? ', or USD' : ''}.`,
  );
}

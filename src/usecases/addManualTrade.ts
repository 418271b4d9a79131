import type { ChainConfig } from '../config/chainPresets.js';
import { insertManualTrade, type ManualTradeRow } from '../db/manualTradeQueries.js';
import { findTokens } from '../db/tokenQueries.js';
import { listWallets, requireWallets, type TrackedWallet } from '../db/walletQueries.js';
import { UserInputError } from '../errors/LookoutError.js';
import { stablecoinUsdValue } from '../tracker/stablecoinUsdValue.js';
import { NATIVE } from '../tracker/walletDeltas.js';
import { parseManualTrade, toRawAmount, type TradeAddArgs, type TypedAmount } from './parseManualTrade.js';
import { MANUAL_CHAIN } from './trackManualWallet.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type { TradeAddArgs } from './parseManualTrade.js';

/** An asset a manual trade names, resolved on the wallet's chain; `usd` when it is money (USD or a stablecoin). */
export type ManualAsset = { asset: string; symbol: string | null; decimals: number; usd: boolean };

/** A recorded manual trade: the stored row, its wallet, the assets it resolved to, and the amounts as typed. */
export type AddedManualTrade = {
  trade: ManualTradeRow;
  wallet: TrackedWallet;
  token: ManualAsset;
  quote: ManualAsset;
  fee: ManualAsset | null;
  typed: { amount: TypedAmount; total: TypedAmount; fee: TypedAmount | null };
};

// Note: symbols on a manual wallet have no contract to read decimals from; 18 holds any amount typed by hand exactly.
const SYMBOL_DECIMALS = 18;
const USD_SYMBOLS = new Set(['USD', 'USDC', 'USDT', 'DAI']);
const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9._$-]{0,19}$/;

/** Records a trade made off chain (over the counter, on an exchange); it counts in PnL like an on-chain one. */
export async function addManualTrade(deps: UseCaseDeps, args: TradeAddArgs, now = new Date()): Promise<AddedManualTrade> {
  const input = parseManualTrade(args, now);
  const wallet = await walletFor(deps, input.wallet, input.chain, input.amount.asset);
  const chain = deps.config.chains.find((candidate) => candidate.name === wallet.chain) ?? null;
  const token = await resolveAsset(deps, wallet, chain, input.amount.asset, false);
  if (token.usd) throw new UserInputError(`${input.amount.asset} is money in Lookout, not a position; record the token bought or sold with it.`);
  const quote = await resolveAsset(deps, wallet, chain, input.total.asset, true);
  const fee = input.fee && (await resolveAsset(deps, wallet, chain, input.fee.asset, true));
  const raw = (typed: TypedAmount, asset: ManualAsset) => toRawAmount(typed.text, asset.decimals, asset.symbol ?? typed.asset);
  const amount = raw(input.amount, token);
  const total = raw(input.total, quote);
  const feeAmount = input.fee && fee ? raw(input.fee, fee) : null;
  // The same rule as a trade on chain: a leg in money is the trade's USD value, a dollar a unit.
  const money = new Map([quote, ...(fee ? [fee] : [])].map((asset) => [asset.asset, { isStablecoin: asset.usd, decimals: asset.decimals }]));
  const stored = await insertManualTrade(deps.db, {
    workspaceId: deps.workspaceId,
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
    usdValue: stablecoinUsdValue({ base: null, quote: { asset: quote.asset, amount: total } }, money),
    feeUsd: fee && feeAmount !== null ? stablecoinUsdValue({ base: null, quote: { asset: fee.asset, amount: feeAmount } }, money) : null,
    tradedAt: input.at ?? now,
    note: input.note,
    createdBy: deps.actor,
  });
  return { trade: stored, wallet, token, quote, fee, typed: { amount: input.amount, total: input.total, fee: input.fee } };
}

/** The wallet a manual trade is for: the one named, or the workspace's only one; on a tracked address, the chain that knows the token. */
async function walletFor(deps: UseCaseDeps, label: string | undefined, chainName: string | undefined, token: string): Promise<TrackedWallet> {
  let candidates: TrackedWallet[];
  if (label !== undefined) {
    candidates = await requireWallets(deps.db, deps.workspaceId, label);
  } else {
    const all = await listWallets(deps.db, deps.workspaceId);
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
    const chain = deps.config.chains.find((candidate) => candidate.name === wallet.chain) ?? null;
    if (await findAsset(deps, chain, wallet, token)) knowing.push(wallet);
  }
  if (knowing.length === 1) return knowing[0]!;
  throw new UserInputError(
    `${candidates[0]!.label} is tracked on ${candidates.map((wallet) => wallet.chain).join(', ')}; add --chain NAME to say which chain ${token} was traded on.`,
  );
}

async function findAsset(deps: UseCaseDeps, chain: ChainConfig | null, wallet: TrackedWallet, typed: string): Promise<ManualAsset | null> {
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
  const [row] = await findTokens(deps.db, chain.name, [address]);
  if (!row) return null;
  return { asset: address, symbol: row.symbol, decimals: row.decimals, usd: chain.stablecoins.includes(address) || row.isStablecoin };
}

async function resolveAsset(deps: UseCaseDeps, wallet: TrackedWallet, chain: ChainConfig | null, typed: string, money: boolean): Promise<ManualAsset> {
  if (money && typed.trim().toUpperCase() === 'USD') return { asset: 'USD', symbol: 'USD', decimals: SYMBOL_DECIMALS, usd: true };
  const found = await findAsset(deps, chain, wallet, typed);
  if (found) return found;
  if (wallet.chain === MANUAL_CHAIN || chain === null) {
    throw new UserInputError(`'${typed}' is not a token symbol; write letters and digits such as ETH or USDC.`);
  }
  throw new UserInputError(
    `Lookout does not know the token ${typed} on ${chain.name}; give a token address it has seen on ${chain.name}, ${chain.nativeSymbol}${money ? ', or USD' : ''}.`,
  );
}

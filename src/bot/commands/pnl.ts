import { eq } from 'drizzle-orm';
import type { ChartConfig } from '../../charts/ChartConfig.js';
import { allocationChart } from '../../charts/allocationChart.js';
import { pnlByTokenChart } from '../../charts/pnlByTokenChart.js';
import { portfolioValueChart } from '../../charts/portfolioValueChart.js';
import { portfolioValueSeries } from '../../db/holdingQueries.js';
import { windowStart } from '../../tracker/pnl/windowStart.js';
import { groupWalletIds, requireGroup } from '../../db/groupQueries.js';
import { loadPnlTrades, type WalletKey } from '../../db/pnlQueries.js';
import { wallets, workspaces } from '../../db/schema.js';
import { listWallets, requireWallets } from '../../db/walletQueries.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { formatAmount, formatUsd } from '../../tracker/formatAmount.js';
import { computePnl } from '../../tracker/pnl/computePnl.js';
import { pnlReportToJson, type PnlPositionJson } from '../../tracker/pnl/pnlReportToJson.js';
import { positionKey } from '../../tracker/pnl/positionKey.js';
import type { PnlMethod, PnlPrice, PnlWindow } from '../../tracker/pnl/types.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import { NATIVE } from '../../tracker/walletDeltas.js';
import type { CommandContext } from '../commandContext.js';
import type { Line, Reply } from '../reply.js';
import { quoteInput } from '../../text/clipText.js';

export type PnlArgs = { wallet?: string | undefined; group?: string | undefined; window?: string | undefined; method?: string | undefined };

/** The charts of a PnL answer: PnL by token (bars), allocation (doughnut), and value over time (line) when snapshots exist. */
export type PnlCharts = { pnl: ChartConfig | null; allocation: ChartConfig | null; value: ChartConfig | null };

const WINDOWS: readonly PnlWindow[] = ['24h', '7d', '30d', 'all'];

/** Explains the win rate wherever PnL is shown, since users read it in different ways. */
export const WIN_RATE_HELP = 'Win rate: closed positions sold at a profit, over all closed positions.';

/**
 * Portfolio PnL of a wallet, a group or the whole workspace: realized and unrealized, invested, value,
 * ROI and win rate, per token, with a chart of PnL by token.
 */
export async function pnl(ctx: CommandContext, args: PnlArgs, now = new Date()): Promise<Reply & { chart: ChartConfig | null; charts: PnlCharts }> {
  if (args.wallet !== undefined && args.group !== undefined) throw new UserInputError('Give either a wallet or a group, not both.');
  const window = (args.window ?? 'all') as PnlWindow;
  if (!WINDOWS.includes(window)) throw new UserInputError(`'${quoteInput(String(args.window))}' is not a window; use 24h, 7d, 30d or all.`);
  const method = (args.method ?? (await workspaceMethod(ctx))) as PnlMethod;
  if (method !== 'fifo' && method !== 'average') throw new UserInputError(`'${quoteInput(String(args.method))}' is not a method; use fifo or average.`);

  const { keys, scope } = await scopeOf(ctx, args);
  const trades = await loadPnlTrades(ctx.db, keys);
  const quoteAssets = new Set<string>();
  for (const chain of ctx.config.chains) {
    quoteAssets.add(positionKey(chain.name, NATIVE));
    if (chain.wrappedNative) quoteAssets.add(positionKey(chain.name, chain.wrappedNative));
    for (const coin of chain.stablecoins) quoteAssets.add(positionKey(chain.name, coin));
  }
  const priceMap = new Map<string, PnlPrice>();
  const assets = new Set(trades.flatMap((trade) => trade.legs.map((leg) => positionKey(trade.chain, leg.asset))));
  for (const key of assets) {
    if (quoteAssets.has(key)) continue;
    const [chain, asset] = splitKey(key);
    const price = await ctx.prices(chain, asset);
    if (price) priceMap.set(key, price);
  }
  const report = computePnl({
    trades,
    method,
    window,
    now,
    prices: priceMap,
    scopeWallets: new Set(keys.map((key) => key.address)),
    quoteAssets,
  });
  const json = pnlReportToJson(report);
  const held = json.positions.filter((position) => position.amount !== '0' || position.realizedUsd !== '0.00');
  const top = [...held].sort((a, b) => magnitude(b) - magnitude(a)).slice(0, 10);
  const gain = (value: string) => (value.startsWith('-') ? `🔴 ${formatUsd(value)}` : `🟢 +${formatUsd(value)}`);
  const lines: Line[] = [
    `Realized: ${gain(json.realizedUsd)}   Unrealized: ${gain(json.unrealizedUsd)}`,
    `Invested: ${formatUsd(json.investedUsd)}   Proceeds: ${formatUsd(json.proceedsUsd)}   Value: ${formatUsd(json.valueUsd)}`,
    `ROI: ${json.roi === null ? 'n/a' : `${percent(json.roi)}`}   Win rate: ${json.winRate === null ? 'n/a' : percent(json.winRate)} of ${json.closedPositions} closed`,
  ];
  if (json.unpricedTrades > 0) lines.push(`${json.unpricedTrades} unpriced trade${json.unpricedTrades === 1 ? '' : 's'} left out of the USD figures.`);
  if (json.unknownBasis.length > 0) lines.push(`${json.unknownBasis.length} holding${json.unknownBasis.length === 1 ? ' has' : 's have'} an unknown cost basis (received, not bought).`);
  for (const position of top) lines.push(positionLine(position, now));
  if (trades.length === 0) lines.push('No trades yet for these wallets.');
  lines.push(WIN_RATE_HELP);
  const series = await portfolioValueSeries(ctx.db, keys, windowStart(window, now) ?? new Date(0));
  const charts: PnlCharts = {
    pnl: held.length ? pnlByTokenChart(held) : null,
    allocation: json.positions.some((position) => position.valueUsd !== null && position.valueUsd !== '0.00') ? allocationChart(json.positions) : null,
    value: series.length >= 2 ? portfolioValueChart(series) : null,
  };
  return {
    title: `PnL · ${scope} · ${window} · ${method === 'fifo' ? 'FIFO' : 'average cost'}`,
    tone: json.realizedUsd.startsWith('-') ? 'sell' : 'buy',
    lines,
    data: json,
    chart: charts.pnl,
    charts,
  };
}

async function workspaceMethod(ctx: CommandContext): Promise<PnlMethod> {
  const [row] = await ctx.db.select({ method: workspaces.pnlMethod }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  return row?.method ?? 'fifo';
}

async function scopeOf(ctx: CommandContext, args: PnlArgs): Promise<{ keys: WalletKey[]; scope: string }> {
  if (args.wallet !== undefined) {
    const found = await requireWallets(ctx.db, ctx.workspaceId, args.wallet);
    return { keys: found.map((w) => ({ chain: w.chain, address: w.address })), scope: found[0]!.label };
  }
  if (args.group !== undefined) {
    const group = await requireGroup(ctx.db, ctx.workspaceId, args.group);
    const ids = await groupWalletIds(ctx.db, group.id);
    const rows = ids.length ? await ctx.db.select().from(wallets).where(eq(wallets.workspaceId, ctx.workspaceId)) : [];
    return { keys: rows.filter((w) => ids.includes(w.id)).map((w) => ({ chain: w.chain, address: w.address })), scope: `group ${group.name}` };
  }
  const all = await listWallets(ctx.db, ctx.workspaceId);
  return { keys: all.map((w) => ({ chain: w.chain, address: w.address })), scope: 'all wallets' };
}

function positionLine(position: PnlPositionJson, now: Date): Line {
  const symbol = position.symbol ?? shortAddress(position.token);
  const amount = formatAmount(toRaw(position.amount, position.decimals), position.decimals);
  const unrealized = position.unrealizedUsd === null ? 'unpriced' : signed(position.unrealizedUsd);
  const price =
    position.priceUsd === null ? 'no price' : `price $${trimPrice(position.priceUsd)} (${age(position.priceAt, now)})`;
  const mark = (position.unrealizedUsd ?? position.realizedUsd).startsWith('-') ? '🔴' : '🟢';
  return `${mark} ${symbol} [${position.chain}]: ${amount} held · realized ${signed(position.realizedUsd)} · unrealized ${unrealized} · ${price}`;
}

function signed(value: string): string {
  return value.startsWith('-') ? formatUsd(value) : `+${formatUsd(value)}`;
}

function percent(ratio: string): string {
  const [whole = '0', fraction = ''] = ratio.replace('-', '').split('.');
  const basisPoints = BigInt(whole + fraction.padEnd(4, '0').slice(0, 4));
  const text = `${basisPoints / 100n}.${(basisPoints % 100n).toString().padStart(2, '0')}%`;
  return ratio.startsWith('-') ? `-${text}` : text;
}

function age(at: string | null, now: Date): string {
  if (at === null) return 'age unknown';
  const minutes = Math.max(0, Math.round((now.getTime() - new Date(at).getTime()) / 60_000));
  if (minutes < 60) return `${minutes}m old`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)}h old`;
  return `${Math.round(minutes / 1440)}d old`;
}

function trimPrice(price: string): string {
  const [whole = '0', fraction = ''] = price.split('.');
  if (whole !== '0') return `${whole}.${fraction.padEnd(2, '0').slice(0, 4)}`.replace(/\.?0+$/, '') || '0';
  const significant = fraction.search(/[1-9]/);
  return significant < 0 ? '0' : `0.${fraction.slice(0, significant + 4)}`;
}

function toRaw(amount: string, decimals: number): bigint {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const raw = BigInt(whole + fraction.padEnd(decimals, '0').slice(0, decimals));
  return negative ? -raw : raw;
}

function magnitude(position: PnlPositionJson): number {
  // Note: a float only to order the lines shown; every figure printed stays exact.
  return Math.abs(Number(position.valueUsd ?? '0')) + Math.abs(Number(position.realizedUsd));
}

function splitKey(key: string): [string, string] {
  const index = key.indexOf(':');
  return [key.slice(0, index), key.slice(index + 1)];
}

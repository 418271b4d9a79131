import { eq } from 'drizzle-orm';
import type { ChartConfig } from '../../charts/ChartConfig.js';
import { allocationChart } from '../../charts/allocationChart.js';
import { pnlByTokenChart } from '../../charts/pnlByTokenChart.js';
import { portfolioValueChart } from '../../charts/portfolioValueChart.js';
import { portfolioValueSeries } from '../../db/holdingQueries.js';
import { windowStart } from '../../tracker/pnl/windowStart.js';
import { groupWalletIds, requireGroup } from '../../db/groupQueries.js';
import { loadManualPnlTrades } from '../../db/manualTradeQueries.js';
import { loadPnlTrades, type WalletKey } from '../../db/pnlQueries.js';
import { wallets, workspaces } from '../../db/schema.js';
import { listWallets, requireWallets } from '../../db/walletQueries.js';
import { formatAmount, formatUsd } from '../../tracker/formatAmount.js';
import { computePnl } from '../../tracker/pnl/computePnl.js';
import { pnlReportToJson, type PnlPositionJson, type PnlReportJson } from '../../tracker/pnl/pnlReportToJson.js';
import { positionKey } from '../../tracker/pnl/positionKey.js';
import type { PnlMethod, PnlPrice, PnlTrade } from '../../tracker/pnl/types.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import { NATIVE } from '../../tracker/walletDeltas.js';
import type { CommandContext } from '../commandContext.js';
import type { Line, Reply } from '../reply.js';
import { parsePnlOptions, type PnlOptions } from './parsePnlOptions.js';

export type PnlArgs = PnlOptions;

/** The charts of a PnL answer: PnL by token (bars), allocation (doughnut), and value over time (line) when snapshots exist. */
export type PnlCharts = { pnl: ChartConfig | null; allocation: ChartConfig | null; value: ChartConfig | null };

/** Explains the win rate wherever PnL is shown, since users read it in different ways. */
export const WIN_RATE_HELP = 'Win rate: closed positions sold at a profit, over all closed positions.';

/**
 * Portfolio PnL of a wallet, a group or the whole workspace: realized and unrealized, invested, value,
 * ROI and win rate, per token, with a chart of PnL by token.
 */
export async function pnl(ctx: CommandContext, args: PnlArgs, now = new Date()): Promise<Reply & { chart: ChartConfig | null; charts: PnlCharts }> {
  const options = parsePnlOptions(args);
  const window = options.window;
  const method = options.method ?? (await workspaceMethod(ctx));

  const { keys, scope } = await scopeOf(ctx, args);
  const trades = [...(await loadPnlTrades(ctx.db, keys)), ...(await loadManualPnlTrades(ctx.db, ctx.workspaceId, keys))];
  const report = computePnl({
    trades,
    method,
    window,
    now,
    prices: await currentPrices(ctx, trades),
    scopeWallets: new Set(keys.map((key) => key.address)),
    quoteAssets: quoteAssetsOf(ctx),
    feesInBasis: await workspaceFeesInBasis(ctx),
  });
  const json = pnlReportToJson(report);
  const held = json.positions.filter((position) => position.amount !== '0' || position.realizedUsd !== '0.00' || position.unknownProceedsUsd !== '0.00');
  const top = [...held].sort((a, b) => magnitude(b) - magnitude(a)).slice(0, 10);
  const lines: Line[] = summaryLines(json);
  for (const position of top) lines.push(positionLine(position, now));
  if (trades.length === 0) lines.push('No trades yet for these wallets.');
  lines.push(WIN_RATE_HELP);
  const series = await portfolioValueSeries(ctx.db, keys, windowStart(window, now) ?? new Date(0));
  const charts: PnlCharts = {
    pnl: held.length ? pnlByTokenChart(held, json) : null,
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

/** Stablecoins are money; native and wrapped native are positions, so a buy of either shows in PnL. */
export function quoteAssetsOf(ctx: CommandContext): Set<string> {
  const quoteAssets = new Set<string>();
  for (const chain of ctx.config.chains) for (const coin of chain.stablecoins) quoteAssets.add(positionKey(chain.name, coin));
  return quoteAssets;
}

/** The latest price of every asset the trades touch; the wrapped native is priced as the native coin. */
async function currentPrices(ctx: CommandContext, trades: readonly PnlTrade[]): Promise<Map<string, PnlPrice>> {
  const quoteAssets = quoteAssetsOf(ctx);
  const wrapped = new Map(ctx.config.chains.flatMap((chain) => (chain.wrappedNative ? [[chain.name, chain.wrappedNative] as const] : [])));
  const priceMap = new Map<string, PnlPrice>();
  const assets = new Set(trades.flatMap((trade) => trade.legs.map((leg) => positionKey(trade.chain, leg.asset))));
  for (const key of assets) {
    if (quoteAssets.has(key)) continue;
    const [chain, asset] = splitKey(key);
    // A manual wallet's symbols have no chain to price them on: they are held at cost.
    if (!ctx.config.chains.some((candidate) => candidate.name === chain)) continue;
    const price = await ctx.prices(chain, wrapped.get(chain) === asset ? NATIVE : asset);
    if (price) priceMap.set(key, price);
  }
  return priceMap;
}

/** The totals, then what has an unknown cost or no price, each said in words rather than left as $0. */
function summaryLines(json: PnlReportJson): Line[] {
  const gain = (value: string) => (value.startsWith('-') ? `🔴 ${formatUsd(value)}` : `🟢 +${formatUsd(value)}`);
  const unknownSold = json.unknownProceedsUsd !== '0.00';
  const realized =
    unknownSold && json.proceedsUsd === '0.00' && json.realizedUsd === '0.00'
      ? `not measured: the ${formatUsd(json.unknownProceedsUsd)} sold came from lots of unknown cost`
      : `${gain(json.realizedUsd)}${unknownSold ? ` (plus ${formatUsd(json.unknownProceedsUsd)} sold from lots of unknown cost, gain not measured)` : ''}`;
  const lines: Line[] = [
    `Realized: ${realized}   Unrealized: ${gain(json.unrealizedUsd)}`,
    `Invested: ${formatUsd(json.investedUsd)}   Proceeds: ${formatUsd(json.proceedsUsd)}   Value: ${formatUsd(json.valueUsd)}`,
  ];
  if (json.carriedInUsd !== '0.00' || json.leftAtCostUsd !== '0.00') {
    lines.push(
      `Invested = ${formatUsd(json.carriedInUsd)} held when the window began + ${formatUsd(json.boughtUsd)} bought − ${formatUsd(json.leftAtCostUsd)} moved out or sold unpriced, at cost.`,
    );
  }
  if (json.heldAtCostUsd !== '0.00') lines.push(`${formatUsd(json.heldAtCostUsd)} of the value is held without a price now and counted at cost.`);
  lines.push(`ROI: ${json.roi === null ? 'n/a' : `${percent(json.roi)}`}   Win rate: ${json.winRate === null ? 'n/a' : percent(json.winRate)} of ${json.closedPositions} closed`);
  if (json.unknownBasis.length > 0) {
    const value = json.unknownValueUsd === '0.00' ? '' : `, worth ${formatUsd(json.unknownValueUsd)} now`;
    lines.push(`Held at an unknown cost (outside the figures above${value}):`);
    for (const entry of json.unknownBasis.slice(0, 5)) lines.push(`  ${unknownBasisLine(entry)}`);
  }
  if (json.unpriced.length > 0) {
    lines.push(`${json.unpriced.length} trade${json.unpriced.length === 1 ? '' : 's'} without a USD value, their tokens held at an unknown cost:`);
    for (const trade of json.unpriced.slice(0, 3)) {
      const why = trade.reason === 'no_usd_value' ? 'no USD price for either side at the time' : 'several tokens on one side';
      lines.push(`  ${trade.time.slice(0, 16).replace('T', ' ')} [${trade.chain}] ${trade.kind.toUpperCase()} ${trade.manual ? `manual #${trade.id.replace(/^manual-/, '')}` : shortAddress(trade.tx)}: ${why}`);
    }
  }
  lines.push(
    json.feesInBasis
      ? `Fees: in the cost basis and deducted from proceeds (${formatUsd(json.feesUsd)}${json.unpricedFees ? `; ${json.unpricedFees} fee${json.unpricedFees === 1 ? '' : 's'} without a price left out` : ''}).`
      : 'Fees: not counted (lookout settings --fee-basis on counts them).',
  );
  return lines;
}

function unknownBasisLine(entry: PnlReportJson['unknownBasis'][number]): string {
  const why: string[] = [];
  if (entry.byOrigin.unpriced !== '0') why.push(`${entry.byOrigin.unpriced} bought in a trade without a USD value`);
  if (entry.byOrigin.received !== '0') why.push(`${entry.byOrigin.received} received from outside these wallets`);
  if (entry.byOrigin.unseen !== '0') why.push(`${entry.byOrigin.unseen} from before the history Lookout has`);
  const value = entry.valueUsd === null ? 'no price' : `worth ${formatUsd(entry.valueUsd)}`;
  return `${entry.symbol ?? shortAddress(entry.token)} [${entry.chain}]: ${why.join(', ')} (${value})`;
}

export async function workspaceFeesInBasis(ctx: CommandContext): Promise<boolean> {
  const [row] = await ctx.db.select({ fees: workspaces.feesInBasis }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  return row?.fees ?? false;
}

export async function workspaceMethod(ctx: CommandContext): Promise<PnlMethod> {
  const [row] = await ctx.db.select({ method: workspaces.pnlMethod }).from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  return row?.method ?? 'fifo';
}

export async function scopeOf(ctx: CommandContext, args: PnlArgs): Promise<{ keys: WalletKey[]; scope: string }> {
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
  const unknownSold = position.unknownProceedsUsd === '0.00' ? '' : ` (+ ${formatUsd(position.unknownProceedsUsd)} sold at an unknown cost)`;
  return `${mark} ${symbol} [${position.chain}]: ${amount} held · realized ${signed(position.realizedUsd)}${unknownSold} · unrealized ${unrealized} · ${price}`;
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

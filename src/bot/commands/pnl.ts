import type { ChartConfig } from '../../charts/ChartConfig.js';
import { pnlCharts, type PnlCharts } from '../../charts/pnlCharts.js';
import { formatAmount, formatUsd, toDecimalString } from '../../tracker/formatAmount.js';
import { pnlReportToJson } from '../../tracker/pnl/pnlReportToJson.js';
import { Rational } from '../../tracker/pnl/Rational.js';
import type { PnlPosition, PnlReport, UnknownBasis } from '../../tracker/pnl/types.js';
import { shortAddress } from '../../tracker/walletAddress.js';
import type { PnlScope } from '../../usecases/pnlScope.js';
import { portfolioPnl, type PnlOptions } from '../../usecases/portfolioPnl.js';
import type { CommandContext } from '../commandContext.js';
import type { Line, Reply } from '../reply.js';
import { wordDbErrors } from './dbErrorMessage.js';

export type PnlArgs = PnlOptions;

export type { PnlCharts } from '../../charts/pnlCharts.js';

/** Explains the win rate wherever PnL is shown, since users read it in different ways. */
export const WIN_RATE_HELP = 'Win rate: closed positions sold at a profit, over all closed positions.';

/** A current price older than this is marked stale in the position's line. */
export const STALE_PRICE_MS = 3_600_000;

// Prices are shown to the digits people quote them in: 4 decimals, or 4 significant digits below $1.
const PRICE_DIGITS = 18;
const TOP_POSITIONS = 10;

/**
 * Portfolio PnL of a wallet, a group or the whole workspace: realized and unrealized, invested, value,
 * ROI and win rate, per token, with a chart of PnL by token.
 */
export async function pnl(ctx: CommandContext, args: PnlArgs, now = new Date()): Promise<Reply & { chart: ChartConfig | null; charts: PnlCharts }> {
  const result = await wordDbErrors(() => portfolioPnl(ctx, args, now));
  const { report } = result;
  const held = report.positions.filter((position) => position.amount !== 0n || !cents(position.realizedUsd).isZero() || !cents(position.unknownProceedsUsd).isZero());
  const top = [...held].sort((a, b) => magnitude(b).compare(magnitude(a))).slice(0, TOP_POSITIONS);
  const lines: Line[] = summaryLines(report);
  const holding = held.filter((position) => position.amount !== 0n);
  if (holding.length > 0) lines.push(heldInAllLine(report, holding));
  for (const position of top) lines.push(positionLine(position, result.now));
  if (result.trades === 0) lines.push('No trades yet for these wallets.');
  lines.push(WIN_RATE_HELP);
  // Note: the HTTP API's /charts draws the same configurations.
  const charts = pnlCharts(report, result.valueSeries);
  return {
    title: `PnL · ${scopeName(result.scope)} · ${result.window} · ${result.method === 'fifo' ? 'FIFO' : 'average cost'}`,
    tone: cents(report.realizedUsd).sign() < 0 ? 'sell' : 'buy',
    lines,
    data: pnlReportToJson(report),
    chart: charts.pnl,
    charts,
  };
}

function scopeName(scope: PnlScope): string {
  if (scope.kind === 'wallet') return scope.label;
  if (scope.kind === 'group') return `group ${scope.name}`;
  return 'all wallets';
}

/** A USD amount to the cent, as every figure is shown: a value under half a cent reads as zero. */
function cents(value: Rational): Rational {
  return value.round(2);
}

function usd(value: Rational): string {
  return formatUsd(value.toFixed(2));
}

function signed(value: Rational): string {
  return cents(value).sign() < 0 ? usd(value) : `+${usd(value)}`;
}

function gain(value: Rational): string {
  return cents(value).sign() < 0 ? `🔴 ${usd(value)}` : `🟢 +${usd(value)}`;
}

/** A ratio as a percentage with two decimals, rounded half-even: 0.25 is 25.00%. */
function percent(ratio: Rational): string {
  return `${ratio.mul(Rational.of(100n)).toFixed(2)}%`;
}

/** The totals, then what has an unknown cost or no price, each said in words rather than left as $0. */
function summaryLines(report: PnlReport): Line[] {
  const unknownSold = !cents(report.unknownProceedsUsd).isZero();
  const realized =
    unknownSold && cents(report.proceedsUsd).isZero() && cents(report.realizedUsd).isZero()
      ? `not measured: the ${usd(report.unknownProceedsUsd)} sold came from lots of unknown cost`
      : `${gain(report.realizedUsd)}${unknownSold ? ` (plus ${usd(report.unknownProceedsUsd)} sold from lots of unknown cost, gain not measured)` : ''}`;
  const lines: Line[] = [
    `Realized: ${realized}   Unrealized: ${gain(report.unrealizedUsd)}`,
    `Invested: ${usd(report.investedUsd)}   Proceeds: ${usd(report.proceedsUsd)}   Value: ${usd(report.valueUsd)}`,
  ];
  if (!cents(report.carriedInUsd).isZero() || !cents(report.leftAtCostUsd).isZero()) {
    lines.push(
      `Invested = ${usd(report.carriedInUsd)} held when the window began + ${usd(report.boughtUsd)} bought − ${usd(report.leftAtCostUsd)} moved out or sold unpriced, at cost.`,
    );
  }
  if (!cents(report.heldAtCostUsd).isZero()) lines.push(`${usd(report.heldAtCostUsd)} of the value is held without a price now and counted at cost.`);
  lines.push(
    `ROI: ${report.roi === null ? 'n/a' : percent(report.roi)}   Win rate: ${report.winRate === null ? 'n/a' : percent(report.winRate)} of ${report.closedPositions} closed`,
  );
  if (report.unknownBasis.length > 0) {
    const value = cents(report.unknownValueUsd).isZero() ? '' : `, worth ${usd(report.unknownValueUsd)} now`;
    lines.push(`Held at an unknown cost (outside the figures above${value}):`);
    for (const entry of report.unknownBasis.slice(0, 5)) lines.push(`  ${unknownBasisLine(entry)}`);
  }
  if (report.unpriced.length > 0) {
    lines.push(`${report.unpriced.length} trade${report.unpriced.length === 1 ? '' : 's'} without a USD value, their tokens held at an unknown cost:`);
    for (const trade of report.unpriced.slice(0, 3)) {
      const why = trade.reason === 'no_usd_value' ? 'no USD price for either side at the time' : 'several tokens on one side';
      const time = trade.time.toISOString().slice(0, 16).replace('T', ' ');
      lines.push(`  ${time} [${trade.chain}] ${trade.kind.toUpperCase()} ${trade.manual ? `manual #${trade.id.replace(/^manual-/, '')}` : shortAddress(trade.tx)}: ${why}`);
    }
  }
  lines.push(
    report.feesInBasis
      ? `Fees: in the cost basis and deducted from proceeds (${usd(report.feesUsd)}${report.unpricedFees ? `; ${report.unpricedFees} fee${report.unpricedFees === 1 ? '' : 's'} without a price left out` : ''}).`
      : 'Fees: not counted (lookout settings --fee-basis on counts them).',
  );
  return lines;
}

/**
 * Everything held, across every chain and exchange account of the scope: the value of the lots of known cost plus
 * the value of those of unknown cost, so that a treasury reads one figure that the position lines add up to.
 */
function heldInAllLine(report: PnlReport, holding: readonly PnlPosition[]): string {
  const total = report.valueUsd.add(report.unknownValueUsd);
  const unpriced = holding.filter((position) => position.valueUsd === null).length;
  const count = `${holding.length} position${holding.length === 1 ? '' : 's'}`;
  return `Held in all: ${usd(total)} in ${count}${unpriced > 0 ? ` (${unpriced} without a price counted at cost, or left out when the cost is unknown)` : ''}.`;
}

function unknownBasisLine(entry: UnknownBasis): string {
  const amount = (raw: bigint) => toDecimalString(raw, entry.decimals);
  const why: string[] = [];
  if (entry.byOrigin.unpriced !== 0n) why.push(`${amount(entry.byOrigin.unpriced)} bought in a trade without a USD value`);
  if (entry.byOrigin.received !== 0n) why.push(`${amount(entry.byOrigin.received)} received from outside these wallets`);
  if (entry.byOrigin.unseen !== 0n) why.push(`${amount(entry.byOrigin.unseen)} from before the history Lookout has`);
  const value = entry.valueUsd === null ? 'no price' : `worth ${usd(entry.valueUsd)}`;
  return `${entry.symbol ?? shortAddress(entry.token)} [${entry.chain}]: ${why.join(', ')} (${value})`;
}

function positionLine(position: PnlPosition, now: Date): Line {
  const symbol = position.symbol ?? shortAddress(position.token);
  const unrealized = position.unrealizedUsd === null ? 'unpriced' : signed(position.unrealizedUsd);
  const price = position.priceUsd === null ? 'no price' : `price $${formatPrice(position.priceUsd)} (${priceAge(position.priceAt, now)})`;
  const mark = cents(position.unrealizedUsd ?? position.realizedUsd).sign() < 0 ? '🔴' : '🟢';
  const unknownSold = cents(position.unknownProceedsUsd).isZero() ? '' : ` (+ ${usd(position.unknownProceedsUsd)} sold at an unknown cost)`;
  const worth = position.valueUsd === null || position.amount === 0n ? '' : `, worth ${usd(position.valueUsd)}`;
  return `${mark} ${symbol} [${position.chain}]: ${formatAmount(position.amount, position.decimals)} held${worth} · realized ${signed(position.realizedUsd)}${unknownSold} · unrealized ${unrealized} · ${price}`;
}

/** How old a price is; one older than an hour is marked stale, since the unrealized figure rests on it. */
export function priceAge(at: Date | null, now: Date): string {
  if (at === null) return 'age unknown';
  const ageMs = Math.max(0, now.getTime() - at.getTime());
  const minutes = Math.round(ageMs / 60_000);
  const age = minutes < 60 ? `${minutes}m old` : minutes < 48 * 60 ? `${Math.round(minutes / 60)}h old` : `${Math.round(minutes / 1440)}d old`;
  return ageMs > STALE_PRICE_MS ? `stale: ${age}` : age;
}

/** A price per whole token: 4 decimals (cut, not rounded) from $1, 4 significant digits below. */
function formatPrice(price: Rational): string {
  const [whole = '0', fraction = ''] = price.toDecimalString(PRICE_DIGITS).split('.');
  if (whole !== '0') return `${whole}.${fraction.padEnd(2, '0').slice(0, 4)}`.replace(/\.?0+$/, '') || '0';
  const significant = fraction.search(/[1-9]/);
  return significant < 0 ? '0' : `0.${fraction.slice(0, significant + 4)}`;
}

/** What orders the positions shown: value held plus realized, in absolute terms. */
function magnitude(position: PnlPosition): Rational {
  return (position.valueUsd ?? Rational.ZERO).abs().add(position.realizedUsd.abs());
}

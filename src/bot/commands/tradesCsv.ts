import { exportTradesCsv, TRADES_CSV_COLUMNS, type ExportTradesArgs } from '../../usecases/exportTradesCsv.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { wordDbErrors } from './dbErrorMessage.js';

export { TRADES_CSV_COLUMNS } from '../../usecases/exportTradesCsv.js';
export type TradesCsvArgs = ExportTradesArgs;

/** A file an answer carries: the CLI prints it, the chats attach it. */
export type ReplyFile = { name: string; content: string };

/**
 * Every trade of the scope, on chain and manual, oldest first, as CSV: amounts in whole units, and for each
 * priced sale the PnL it realized under the workspace's method (and what it sold from lots of unknown cost).
 */
export async function tradesCsv(ctx: CommandContext, args: TradesCsvArgs, now = new Date()): Promise<Reply & { file: ReplyFile }> {
  const { method, rows } = await wordDbErrors(() => exportTradesCsv(ctx, args, now));
  const content = [TRADES_CSV_COLUMNS.join(','), ...rows.map((row) => TRADES_CSV_COLUMNS.map((column) => csvField(row[column])).join(','))].join('\r\n') + '\r\n';
  return {
    title: `Trades CSV (${rows.length})`,
    tone: 'info',
    lines: [`${rows.length} trade${rows.length === 1 ? '' : 's'}, realized PnL per sale by ${method === 'fifo' ? 'FIFO' : 'average cost'}.`],
    data: rows,
    file: { name: 'lookout-trades.csv', content },
  };
}

/** One CSV field (RFC 4180); text that a spreadsheet would run as a formula is prefixed with a quote mark. */
export function csvField(value: string): string {
  const safe = /^[=+@\t\r]/.test(value) || (/^-/.test(value) && !/^-\d+(\.\d+)?$/.test(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

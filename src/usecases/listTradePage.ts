import { listTradePage as loadTradePage, type TradePageRow, type TradePosition } from '../db/tradePageQueries.js';
import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';
import { TRADE_KINDS, type TradeKind } from '../tracker/walletDeltas.js';
import { parseDuration } from './parseDuration.js';
import { pnlScope } from './pnlScope.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type { TradePageRow } from '../db/tradePageQueries.js';

export type TradePageArgs = {
  wallet?: string | undefined;
  group?: string | undefined;
  chain?: string | undefined;
  kind?: string | undefined;
  /** An ISO-8601 time, or a duration before now such as `24h`. */
  since?: string | undefined;
  /** An ISO-8601 time; trades before it. */
  until?: string | undefined;
  /** The `next` of the page before. */
  cursor?: string | undefined;
  limit?: number | undefined;
};

export const MAX_TRADE_PAGE = 200;

/**
 * One page of the on-chain trades of a wallet, a group or the workspace, newest first, with the opaque cursor of
 * the next page (null on the last one). Every filter is checked before anything is read.
 */
export async function listTradePage(
  deps: Pick<UseCaseDeps, 'db' | 'workspaceId' | 'config'>,
  args: TradePageArgs,
  now = new Date(),
): Promise<{ trades: TradePageRow[]; next: string | null }> {
  const limit = args.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TRADE_PAGE) {
    throw new UserInputError(`The limit must be a whole number from 1 to ${MAX_TRADE_PAGE}.`);
  }
  const chain = args.chain?.trim().toLowerCase();
  if (chain !== undefined && !deps.config.chains.some((candidate) => candidate.name === chain)) {
    throw new UserInputError(`'${quoteInput(args.chain!)}' is not a known chain; use one of ${deps.config.chains.map((c) => c.name).join(', ')}.`);
  }
  const kind = args.kind?.trim().toLowerCase();
  if (kind !== undefined && !TRADE_KINDS.includes(kind as TradeKind)) {
    throw new UserInputError(`'${quoteInput(args.kind!)}' is not a kind of trade; use one of ${TRADE_KINDS.join(', ')}.`);
  }
  const since = args.since === undefined ? undefined : parseTime(args.since, 'since', now);
  const until = args.until === undefined ? undefined : parseTime(args.until, 'until', now);
  const after = args.cursor === undefined ? undefined : decodeCursor(args.cursor);
  const { walletIds } = await pnlScope(deps, args);
  // One more than asked tells whether there is a next page.
  const rows = await loadTradePage(deps.db, { workspaceId: deps.workspaceId, walletIds, chain, kind, since, until, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { trades: page, next: rows.length > limit ? encodeCursor(page[page.length - 1]!.position) : null };
}

/** The opaque cursor of a position: base64url, so that callers pass it back as it is. */
export function encodeCursor(position: TradePosition): string {
  return Buffer.from(`${position.epoch}|${position.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): TradePosition {
  const text = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^(\d{1,12}(?:\.\d{1,6})?)\|(\d{1,15})$/.exec(text);
  if (!match) throw new UserInputError('The cursor is not one this API gave; pass the next value of the page before as it is.');
  return { epoch: match[1]!, id: Number(match[2]) };
}

function parseTime(text: string, name: 'since' | 'until', now: Date): Date {
  const value = text.trim();
  if (name === 'since' && /^\d{1,5}[mhdw]$/.test(value)) return new Date(now.getTime() - parseDuration(value));
  const time = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) {
    throw new UserInputError(
      `'${quoteInput(value)}' is not a time for ${name}; write an ISO-8601 time such as 2024-01-31T00:00:00Z${name === 'since' ? ' or a duration such as 24h' : ''}.`,
    );
  }
  return time;
}

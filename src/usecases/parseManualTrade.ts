import { UserInputError } from '../errors/LookoutError.js';

export type TradeAddArgs = {
  side: string | undefined;
  amount: string | undefined;
  token: string | undefined;
  /** `<total> <quote>`, as in `20 USD`. */
  for: string | undefined;
  /** `<amount> <asset>`, as in `0.5 USD`. */
  fee?: string | undefined;
  at?: string | undefined;
  wallet?: string | undefined;
  chain?: string | undefined;
  note?: string | undefined;
};

/** An amount as typed, checked to be a positive decimal; it becomes raw units once the asset's decimals are known. */
export type TypedAmount = { text: string; asset: string };

/** A manual trade as asked, checked without reading anything. */
export type ManualTradeInput = {
  side: 'buy' | 'sell';
  amount: TypedAmount;
  total: TypedAmount;
  fee: TypedAmount | null;
  at: Date | null;
  wallet: string | undefined;
  chain: string | undefined;
  note: string | null;
};

export const TRADE_ADD_USAGE = 'trade add <buy|sell> <amount> <token> --for <total> <quote> [--fee <amount> <quote>] [--at <ISO-8601 time>] [--wallet <label>] [--note TEXT]';

const DECIMAL = /^\d+(\.\d+)?$/;
// An ISO-8601 date, or date and time with an optional zone; a time without a zone is read as UTC.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const MAX_NOTE = 200;

function checkAmount(text: string, what: string): string {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) throw new UserInputError(`'${text}' is not an amount; write ${what} as a plain decimal number such as 2 or 0.5.`);
  return trimmed;
}

function pairOf(text: string, option: string): TypedAmount {
  const [amount, asset, ...rest] = text.trim().split(/\s+/);
  if (amount === undefined || asset === undefined || rest.length > 0) {
    throw new UserInputError(`--${option} needs an amount and an asset, as in --${option} 20 USD.`);
  }
  return { text: checkAmount(amount, `the --${option} amount`), asset };
}

/** Reads the time of a trade: ISO-8601, UTC when no zone is given, not in the future. */
export function parseTradeTime(text: string, now: Date): Date {
  const trimmed = text.trim();
  if (!ISO_TIME.test(trimmed)) {
    throw new UserInputError(`'${text}' is not an ISO-8601 time; write it as 2024-01-01T00:00:00Z.`);
  }
  const [year, month, day] = trimmed.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  // Date rolls 2024-02-30 over to March; a typed date must be a day of the calendar.
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    throw new UserInputError(`'${text}' is not a real date; write it as 2024-01-01T00:00:00Z.`);
  }
  const zoned = /T/.test(trimmed) && !/(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) ? `${trimmed}Z` : trimmed;
  const time = new Date(zoned);
  if (Number.isNaN(time.getTime())) throw new UserInputError(`'${text}' is not a real date; write it as 2024-01-01T00:00:00Z.`);
  if (time > now) throw new UserInputError(`${time.toISOString()} is in the future; a trade is recorded once it has happened.`);
  return time;
}

/** Checks `trade add` arguments before anything is read or written; throws one sentence on bad input. */
export function parseManualTrade(args: TradeAddArgs, now: Date = new Date()): ManualTradeInput {
  if (args.side !== 'buy' && args.side !== 'sell') {
    throw new UserInputError(`${args.side === undefined ? 'The side is missing' : `'${args.side}' is not buy or sell`}; write lookout ${TRADE_ADD_USAGE}.`);
  }
  if (args.amount === undefined || args.token === undefined) {
    throw new UserInputError(`Give the amount and the token, as in lookout trade add ${args.side} 2 ETH --for 20 USD.`);
  }
  if (args.for === undefined) throw new UserInputError(`Give what the trade was for, as in lookout trade add ${args.side} ${args.amount} ${args.token} --for 20 USD.`);
  const amount = { text: checkAmount(args.amount, 'the amount'), asset: args.token.trim() };
  if (/^0+(\.0+)?$/.test(amount.text)) throw new UserInputError('The amount must be more than 0.');
  const note = args.note?.trim() || null;
  if (note !== null && note.length > MAX_NOTE) throw new UserInputError(`The note has ${note.length} characters; keep it to ${MAX_NOTE}.`);
  return {
    side: args.side,
    amount,
    total: pairOf(args.for, 'for'),
    fee: args.fee === undefined ? null : pairOf(args.fee, 'fee'),
    at: args.at === undefined ? null : parseTradeTime(args.at, now),
    wallet: args.wallet,
    chain: args.chain,
    note,
  };
}

/** The raw integer of a typed decimal amount for an asset with `decimals` decimals; more digits than that is an error. */
export function toRawAmount(text: string, decimals: number, asset: string): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  if (fraction.length > decimals) {
    throw new UserInputError(`${text} ${asset} has ${fraction.length} decimals but ${asset} has ${decimals}; round the amount.`);
  }
  return BigInt(whole + fraction.padEnd(decimals, '0'));
}

/** Checks a `trade remove` id. */
export function parseTradeId(text: string | undefined): number {
  const trimmed = text?.trim().replace(/^#/, '');
  if (trimmed === undefined || !/^\d{1,15}$/.test(trimmed)) {
    throw new UserInputError(`${text === undefined ? 'The trade id is missing' : `'${text}' is not a trade id`}; write lookout trade remove <id>, with the id trade add gave.`);
  }
  return Number(trimmed);
}

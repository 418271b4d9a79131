import type * as ccxt from 'ccxt';
import { addDecimals, decimalText, exactDecimal } from './decimalText.js';
import type { ExchangeFill, ExchangeMove } from './exchangeFill.js';
import type { ExchangeName } from './exchangeKinds.js';
import { loadCcxt } from './loadCcxt.js';

/** An account's API credentials, in clear only in memory, for the time of one sync. */
export type ExchangeCredentials = { key: string; secret: string; passphrase: string | null };

/** What the exchange says the key may do; null where the exchange does not report it (Coinbase Exchange). */
export type KeyPermissions = { trade: boolean; withdraw: boolean } | null;

/** A page of an account's fills in one market after a cursor, oldest first, and the cursor after them. */
export type FillPage = { fills: ExchangeFill[]; cursor: number | undefined; more: boolean };

/** The read-only calls Lookout makes to one exchange account, through ccxt. */
export type ExchangeClient = {
  exchange: ExchangeName;
  permissions(): Promise<KeyPermissions>;
  /** Every asset with a balance, total (free and locked) as exact decimal text. */
  balances(): Promise<Map<string, string>>;
  /** The markets the account could have traded: base and quote among `assets`, or the quote in `money`. */
  marketsOf(assets: ReadonlySet<string>, money: ReadonlySet<string>): Promise<string[]>;
  /** The account's fills in one market after the cursor (a trade id on Binance, a time in ms on Coinbase). */
  fillsAfter(symbol: string, cursor: number | undefined): Promise<FillPage>;
  /**
   * Completed deposits and withdrawals from the cursor (a time in ms) on, and the cursor after them: the oldest one
   * still pending, so that it is read again once it completes. Binance answers 90 days at a time.
   */
  movesSince(cursor: number | undefined): Promise<{ moves: ExchangeMove[]; cursor: number | undefined }>;
};

/**
 * The markets of each exchange, loaded once an hour and shared by every account's client: Binance's market list is
 * megabytes, and every call of ccxt needs it.
 */
export type MarketsCache = Map<string, { markets: ccxt.Dictionary<ccxt.Market>; loadedAt: number }>;

const MARKETS_TTL_MS = 60 * 60_000;

/** Gives a fresh ccxt instance the cached markets of its exchange, or loads and caches them. */
async function withMarkets(api: ccxt.Exchange, key: string, cache: MarketsCache | undefined): Promise<void> {
  const cached = cache?.get(key);
  if (cached && Date.now() - cached.loadedAt < MARKETS_TTL_MS) {
    api.setMarkets(cached.markets);
    return;
  }
  const markets = await api.loadMarkets();
  cache?.set(key, { markets, loadedAt: Date.now() });
}

const BINANCE_HOST = 'https://api.binance.com';
const PAGE = 1000;
// Note: every Binance restriction that lets the key move or trade money; reading alone has none of them.
const BINANCE_WRITE_FLAGS = [
  'enableSpotAndMarginTrading',
  'enableMargin',
  'enableFutures',
  'enableVanillaOptions',
  'enableOptions',
  'enablePortfolioMarginTrading',
] as const;
const BINANCE_MOVE_FLAGS = ['enableWithdrawals', 'enableInternalTransfer', 'permitsUniversalTransfer'] as const;

/**
 * The client of an exchange account: Binance (key and secret), or Coinbase Exchange (key, secret and passphrase).
 * `apiUrl` replaces the exchange's host, for a proxy or a local server.
 */
export function createExchangeClient(exchange: ExchangeName, credentials: ExchangeCredentials, apiUrl?: string, cache?: MarketsCache): ExchangeClient {
  const exact = exchange === 'binance' ? BINANCE_FIELDS : COINBASE_EXCHANGE_FIELDS;
  const key = `${exchange}|${apiUrl ?? ''}`;
  let built: RawClient | undefined;
  const raw = async (): Promise<RawClient> => {
    const lib = await loadCcxt();
    built ??= exchange === 'binance' ? binanceClient(lib, credentials, apiUrl) : coinbaseClient(lib, credentials, apiUrl);
    return built;
  };
  let ready: Promise<void> | undefined;
  const prepared = <A extends unknown[], R>(call: (client: RawClient, ...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const client = await raw();
    ready ??= withMarkets(client.api, key, cache).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
    return call(client, ...args);
  };
  return {
    exchange,
    permissions: async () => (await raw()).permissions(),
    balances: prepared((client) => client.balances()),
    marketsOf: prepared((client, assets: ReadonlySet<string>, money: ReadonlySet<string>) => client.marketsOf(assets, money)),
    fillsAfter: prepared((client, symbol: string, cursor: number | undefined) => client.fillsAfter(symbol, cursor)),
    movesSince: prepared(async (client, cursor: number | undefined) => {
      const [deposits, withdrawals] = [await client.api.fetchDeposits(undefined, cursor), await client.api.fetchWithdrawals(undefined, cursor)];
      return movesOf([...deposits, ...withdrawals], cursor, exact);
    }),
  };
}

type RawClient = Omit<ExchangeClient, 'exchange' | 'movesSince'> & { api: ccxt.Exchange };

function binanceClient(lib: typeof ccxt, credentials: ExchangeCredentials, apiUrl: string | undefined): RawClient {
  const api = new lib.binance({
    apiKey: credentials.key,
    secret: credentials.secret,
    // Spot only: the account's spot wallet is what Lookout reads; no margin pairs, no currency list (a private call).
    options: { defaultType: 'spot', fetchMarkets: { types: ['spot'] }, fetchMargins: false, fetchCurrencies: false },
  });
  if (apiUrl) {
    const urls = api.urls['api'] as Record<string, string>;
    for (const key of Object.keys(urls)) urls[key] = urls[key]!.replace(BINANCE_HOST, apiUrl.replace(/\/+$/, ''));
  }
  return {
    api,
    async permissions() {
      const restrictions = (await api.sapiGetAccountApiRestrictions()) as Record<string, unknown>;
      return {
        trade: BINANCE_WRITE_FLAGS.some((flag) => restrictions[flag] === true),
        withdraw: BINANCE_MOVE_FLAGS.some((flag) => restrictions[flag] === true),
      };
    },
    balances: () => balancesOf(api, BINANCE_FIELDS),
    marketsOf: (assets, money) => marketsOf(api, assets, money),
    async fillsAfter(symbol, cursor) {
      // Note: Binance pages by trade id; from id 0 the whole history comes back in order.
      const trades = await api.fetchMyTrades(symbol, undefined, PAGE, { fromId: cursor === undefined ? 0 : cursor + 1 });
      const fills = trades.map((trade) => toFill(trade, BINANCE_FIELDS));
      const last = fills.reduce((max, fill) => Math.max(max, Number(fill.id)), cursor ?? -1);
      return { fills, cursor: last < 0 ? cursor : last, more: trades.length >= PAGE };
    },
  };
}

function coinbaseClient(lib: typeof ccxt, credentials: ExchangeCredentials, apiUrl: string | undefined): RawClient {
  const api = new lib.coinbaseexchange({ apiKey: credentials.key, secret: credentials.secret, password: credentials.passphrase ?? '' });
  if (apiUrl) api.urls['api'] = { public: apiUrl.replace(/\/+$/, ''), private: apiUrl.replace(/\/+$/, '') };
  return {
    api,
    // Note: Coinbase Exchange has no call that tells a key's permissions; the README asks for a view-only key.
    permissions: async () => null,
    balances: () => balancesOf(api, COINBASE_EXCHANGE_FIELDS),
    marketsOf: (assets, money) => marketsOf(api, assets, money),
    async fillsAfter(symbol, cursor) {
      // Coinbase answers the newest fills first; a full page is followed back to the cursor with `after`.
      const fills: ExchangeFill[] = [];
      let after: string | undefined;
      for (;;) {
        // Note: from the cursor's own millisecond on: a fill of that moment stored already is stored again as a no-op.
        const page = await api.fetchMyTrades(symbol, cursor, PAGE, after ? { after } : {});
        fills.push(...page.map((trade) => toFill(trade, COINBASE_EXCHANGE_FIELDS)));
        if (page.length < PAGE) break;
        const oldest = page.reduce((min, trade) => Math.min(min, Number(trade.id)), Number.POSITIVE_INFINITY);
        if (!Number.isFinite(oldest) || String(oldest) === after) break;
        after = String(oldest);
      }
      const unique = [...new Map(fills.map((fill) => [fill.id, fill])).values()].sort((a, b) => a.timestamp - b.timestamp);
      const last = unique.reduce((max, fill) => Math.max(max, fill.timestamp), cursor ?? -1);
      return { fills: unique, cursor: last < 0 ? cursor : last, more: false };
    },
  };
}

async function balancesOf(api: ccxt.Exchange, exact: ExactFields): Promise<Map<string, string>> {
  const balance = await api.fetchBalance();
  const held = new Map<string, string>();
  const sent = exact.balances(balance.info, (id) => api.safeCurrencyCode(id) ?? id);
  if (sent) {
    for (const [asset, total] of sent) if (total !== '0') held.set(asset, total);
    return held;
  }
  // Note: the raw answer lacked the exchange's own balance texts; the doubles ccxt parsed are the only amounts left.
  const totals = (balance.total ?? {}) as unknown as Record<string, number | undefined>;
  for (const [asset, total] of Object.entries(totals)) if (typeof total === 'number' && total > 0) held.set(asset, decimalText(total));
  return held;
}

/**
 * Where each exchange's raw answer holds the exact decimal texts that ccxt parses into doubles: Lookout takes them
 * from there, since a double keeps only about 16 significant digits.
 */
type ExactFields = {
  /** A fill's amount, price and fee cost. */
  fill(info: Record<string, unknown>): { amount?: string; price?: string; fee?: string };
  /** A deposit's or withdrawal's amount (what left before the fee, for a withdrawal) and fee. */
  move(info: Record<string, unknown>, type: string | undefined): { amount?: string; fee?: string };
  /** Every asset's total balance (free and locked), by unified currency code; undefined when the answer lacks them. */
  balances(info: unknown, code: (id: string) => string): Map<string, string> | undefined;
};

const BINANCE_FIELDS: ExactFields = {
  fill: (info) => ({ amount: exactDecimal(info['qty']), price: exactDecimal(info['price']), fee: exactDecimal(info['commission']) }),
  move: (info) => ({ amount: exactDecimal(info['amount']), fee: exactDecimal(info['transactionFee'] ?? info['totalFee']) }),
  balances(info, code) {
    const rows = (info as { balances?: unknown } | undefined)?.balances;
    if (!Array.isArray(rows)) return undefined;
    const totals = new Map<string, string>();
    for (const row of rows as Record<string, unknown>[]) {
      const free = exactDecimal(row['free']);
      const locked = exactDecimal(row['locked']);
      if (typeof row['asset'] !== 'string' || free === undefined || locked === undefined) return undefined;
      totals.set(code(row['asset']), addDecimals(free, locked));
    }
    return totals;
  },
};

const COINBASE_EXCHANGE_FIELDS: ExactFields = {
  fill: (info) => ({ amount: exactDecimal(info['size']), price: exactDecimal(info['price']), fee: exactDecimal(info['fill_fees'] ?? info['fee']) }),
  move(info, type) {
    const amount = exactDecimal(info['amount']);
    const details = (info['details'] ?? {}) as Record<string, unknown>;
    const fee = type === 'withdrawal' ? exactDecimal(details['fee']) : undefined;
    // Note: as ccxt does, a withdrawal's amount is what Coinbase sent less its fee; the record adds the fee back.
    return { amount: amount !== undefined && fee !== undefined ? addDecimals(amount, fee, -1) : amount, fee };
  },
  balances(info, code) {
    if (!Array.isArray(info)) return undefined;
    const totals = new Map<string, string>();
    for (const row of info as Record<string, unknown>[]) {
      const total = exactDecimal(row['balance']);
      if (typeof row['currency'] !== 'string' || total === undefined) return undefined;
      totals.set(code(row['currency']), total);
    }
    return totals;
  },
};

async function marketsOf(api: ccxt.Exchange, assets: ReadonlySet<string>, money: ReadonlySet<string>): Promise<string[]> {
  const markets = await api.loadMarkets();
  return Object.values(markets)
    .filter((market) => market !== undefined && market.spot && assets.has(market.base) && (assets.has(market.quote) || money.has(market.quote)))
    .map((market) => market!.symbol)
    .sort();
}

function movesOf(transactions: ccxt.Transaction[], cursor: number | undefined, exact: ExactFields): { moves: ExchangeMove[]; cursor: number | undefined } {
  const moves: ExchangeMove[] = [];
  let pendingFrom: number | undefined;
  let newest = cursor;
  for (const transaction of transactions) {
    if (!transaction.id || !transaction.currency || transaction.timestamp === undefined || transaction.amount === undefined) continue;
    if (transaction.status === 'pending') {
      pendingFrom = Math.min(pendingFrom ?? transaction.timestamp, transaction.timestamp);
      continue;
    }
    if (transaction.status !== 'ok') continue;
    newest = Math.max(newest ?? transaction.timestamp, transaction.timestamp);
    const sent = exact.move((transaction.info ?? {}) as Record<string, unknown>, transaction.type);
    // Note: the doubles ccxt parsed stand in only where the raw answer lacked the exchange's own decimal text.
    const feeText = sent.fee ?? (transaction.fee?.cost !== undefined ? decimalText(transaction.fee.cost) : undefined);
    const fee = feeText !== undefined && feeText !== '0' && transaction.fee?.currency === transaction.currency ? feeText : null;
    moves.push({
      id: transaction.id,
      direction: transaction.type === 'withdrawal' ? 'out' : 'in',
      asset: transaction.currency,
      amount: sent.amount ?? decimalText(transaction.amount),
      fee: transaction.type === 'withdrawal' ? fee : null,
      timestamp: transaction.timestamp,
      txid: transaction.txid ?? null,
      address: transaction.address ?? null,
    });
  }
  return { moves: moves.sort((a, b) => a.timestamp - b.timestamp), cursor: pendingFrom === undefined ? newest : Math.min(pendingFrom, newest ?? pendingFrom) };
}

function toFill(trade: ccxt.Trade, exact: ExactFields): ExchangeFill {
  const market = trade.symbol ?? '';
  const [base, quote] = market.split('/');
  if (!trade.id || !base || !quote || trade.timestamp === undefined || trade.amount === undefined || trade.price === undefined) {
    throw new Error(`The exchange sent a fill without its id, market, time, amount or price: ${trade.id ?? '?'}`);
  }
  const side = trade.side === 'sell' ? 'sell' : 'buy';
  const sent = exact.fill((trade.info ?? {}) as Record<string, unknown>);
  // Note: the doubles ccxt parsed stand in only where the raw answer lacked the exchange's own decimal text.
  const feeCost = sent.fee ?? (trade.fee?.cost !== undefined ? decimalText(trade.fee.cost) : undefined);
  const fee = trade.fee && trade.fee.currency && feeCost !== undefined ? { currency: trade.fee.currency, cost: feeCost } : null;
  const amount = sent.amount ?? decimalText(trade.amount);
  const price = sent.price ?? decimalText(trade.price);
  return { id: trade.id, symbol: market, base, quote: quote.split(':')[0]!, side, timestamp: trade.timestamp, amount, price, fee, order: trade.order ?? null };
}

import * as ccxt from 'ccxt';
import { decimalText } from './decimalText.js';
import type { ExchangeFill, ExchangeMove } from './exchangeFill.js';
import type { ExchangeName } from './exchangeKinds.js';

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
  const client = exchange === 'binance' ? binanceClient(credentials, apiUrl) : coinbaseClient(credentials, apiUrl);
  const key = `${exchange}|${apiUrl ?? ''}`;
  let ready: Promise<void> | undefined;
  const prepared = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    ready ??= withMarkets(client.api, key, cache).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
    return call(...args);
  };
  return {
    exchange,
    permissions: client.permissions,
    balances: prepared(client.balances),
    marketsOf: prepared(client.marketsOf),
    fillsAfter: prepared(client.fillsAfter),
    movesSince: prepared(async (cursor: number | undefined) => {
      const [deposits, withdrawals] = [await client.api.fetchDeposits(undefined, cursor), await client.api.fetchWithdrawals(undefined, cursor)];
      return movesOf([...deposits, ...withdrawals], cursor);
    }),
  };
}

type RawClient = Omit<ExchangeClient, 'exchange' | 'movesSince'> & { api: ccxt.Exchange };

function binanceClient(credentials: ExchangeCredentials, apiUrl: string | undefined): RawClient {
  const api = new ccxt.binance({
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
    balances: () => balancesOf(api),
    marketsOf: (assets, money) => marketsOf(api, assets, money),
    async fillsAfter(symbol, cursor) {
      // Note: Binance pages by trade id; from id 0 the whole history comes back in order.
      const trades = await api.fetchMyTrades(symbol, undefined, PAGE, { fromId: cursor === undefined ? 0 : cursor + 1 });
      const fills = trades.map(toFill);
      const last = fills.reduce((max, fill) => Math.max(max, Number(fill.id)), cursor ?? -1);
      return { fills, cursor: last < 0 ? cursor : last, more: trades.length >= PAGE };
    },
  };
}

function coinbaseClient(credentials: ExchangeCredentials, apiUrl: string | undefined): RawClient {
  const api = new ccxt.coinbaseexchange({ apiKey: credentials.key, secret: credentials.secret, password: credentials.passphrase ?? '' });
  if (apiUrl) api.urls['api'] = { public: apiUrl.replace(/\/+$/, ''), private: apiUrl.replace(/\/+$/, '') };
  return {
    api,
    // Note: Coinbase Exchange has no call that tells a key's permissions; the README asks for a view-only key.
    permissions: async () => null,
    balances: () => balancesOf(api),
    marketsOf: (assets, money) => marketsOf(api, assets, money),
    async fillsAfter(symbol, cursor) {
      // Coinbase answers the newest fills first; a full page is followed back to the cursor with `after`.
      const fills: ExchangeFill[] = [];
      let after: string | undefined;
      for (;;) {
        // Note: from the cursor's own millisecond on: a fill of that moment stored already is stored again as a no-op.
        const page = await api.fetchMyTrades(symbol, cursor, PAGE, after ? { after } : {});
        fills.push(...page.map(toFill));
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

async function balancesOf(api: ccxt.Exchange): Promise<Map<string, string>> {
  const balance = await api.fetchBalance();
  const totals = (balance.total ?? {}) as unknown as Record<string, number | undefined>;
  const held = new Map<string, string>();
  for (const [asset, total] of Object.entries(totals)) if (typeof total === 'number' && total > 0) held.set(asset, decimalText(total));
  return held;
}

async function marketsOf(api: ccxt.Exchange, assets: ReadonlySet<string>, money: ReadonlySet<string>): Promise<string[]> {
  const markets = await api.loadMarkets();
  return Object.values(markets)
    .filter((market) => market !== undefined && market.spot && assets.has(market.base) && (assets.has(market.quote) || money.has(market.quote)))
    .map((market) => market!.symbol)
    .sort();
}

function movesOf(transactions: ccxt.Transaction[], cursor: number | undefined): { moves: ExchangeMove[]; cursor: number | undefined } {
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
    const fee = transaction.fee?.cost !== undefined && transaction.fee.cost > 0 && transaction.fee.currency === transaction.currency ? decimalText(transaction.fee.cost) : null;
    moves.push({
      id: transaction.id,
      direction: transaction.type === 'withdrawal' ? 'out' : 'in',
      asset: transaction.currency,
      amount: decimalText(transaction.amount),
      fee: transaction.type === 'withdrawal' ? fee : null,
      timestamp: transaction.timestamp,
      txid: transaction.txid ?? null,
      address: transaction.address ?? null,
    });
  }
  return { moves: moves.sort((a, b) => a.timestamp - b.timestamp), cursor: pendingFrom === undefined ? newest : Math.min(pendingFrom, newest ?? pendingFrom) };
}

function toFill(trade: ccxt.Trade): ExchangeFill {
  const market = trade.symbol ?? '';
  const [base, quote] = market.split('/');
  if (!trade.id || !base || !quote || trade.timestamp === undefined || trade.amount === undefined || trade.price === undefined) {
    throw new Error(`The exchange sent a fill without its id, market, time, amount or price: ${trade.id ?? '?'}`);
  }
  const side = trade.side === 'sell' ? 'sell' : 'buy';
  const fee = trade.fee && trade.fee.currency && trade.fee.cost !== undefined ? { currency: trade.fee.currency, cost: decimalText(trade.fee.cost) } : null;
  return { id: trade.id, symbol: market, base, quote: quote.split(':')[0]!, side, timestamp: trade.timestamp, amount: decimalText(trade.amount), price: decimalText(trade.price), fee, order: trade.order ?? null };
}

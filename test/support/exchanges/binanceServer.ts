import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One fill of the account as Binance's GET /api/v3/myTrades sends it. */
export type BinanceTrade = {
  symbol: string;
  id: number;
  orderId: number;
  orderListId: number;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
  isBestMatch: boolean;
};

export type BinanceServer = {
  url: string;
  /** Every request, as `METHOD path` (query left out). */
  calls: string[];
  /** Every request's path and query. */
  queries: string[];
  trades: BinanceTrade[];
  balances: { asset: string; free: string; locked: string }[];
  /** As GET /sapi/v1/capital/deposit/hisrec sends them (status 1: credited). */
  deposits: Record<string, unknown>[];
  /** As GET /sapi/v1/capital/withdraw/history sends them (status 6: completed). */
  withdrawals: Record<string, unknown>[];
  restrictions: Record<string, boolean | number>;
  /** The next `count` requests to a path answer 429 with Binance's rate-limit body. */
  limitNext(path: string, count: number): void;
  close(): Promise<void>;
};

const SYMBOLS = [
  ['BTCUSDT', 'BTC', 'USDT'],
  ['ETHUSDT', 'ETH', 'USDT'],
  ['ETHBTC', 'ETH', 'BTC'],
  ['BNBUSDT', 'BNB', 'USDT'],
] as const;

/** A read-only restriction set, as GET /sapi/v1/account/apiRestrictions answers for a key with reading only. */
export const READ_ONLY_RESTRICTIONS = {
  ipRestrict: false,
  createTime: 1698645219000,
  enableReading: true,
  enableWithdrawals: false,
  enableInternalTransfer: false,
  enableMargin: false,
  enableFutures: false,
  permitsUniversalTransfer: false,
  enableVanillaOptions: false,
  enableFixApiTrade: false,
  enableFixReadOnly: false,
  enableSpotAndMarginTrading: false,
  enablePortfolioMarginTrading: false,
};

/**
 * A local server speaking the Binance REST calls ccxt makes for a read-only spot account, with Binance's response
 * shapes: exchangeInfo, account, myTrades (paged by fromId), apiRestrictions. Signed calls are checked like Binance
 * does: the X-MBX-APIKEY header and the HMAC-SHA256 of the query under the secret.
 */
export async function startBinanceServer(credentials: { key: string; secret: string }): Promise<BinanceServer> {
  const limited = new Map<string, number>();
  const state: Omit<BinanceServer, 'url' | 'close' | 'limitNext'> = {
    calls: [],
    queries: [],
    trades: [],
    balances: [],
    deposits: [],
    withdrawals: [],
    restrictions: { ...READ_ONLY_RESTRICTIONS },
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.calls.push(`${req.method} ${url.pathname}`);
    state.queries.push(`${url.pathname}?${url.searchParams.toString()}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    const left = limited.get(url.pathname) ?? 0;
    if (left > 0) {
      limited.set(url.pathname, left - 1);
      return send(429, { code: -1003, msg: 'Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute. Please use the websocket for live updates to avoid polling the API.' });
    }
    const signed = url.pathname !== '/api/v3/exchangeInfo' && url.pathname !== '/api/v3/time';
    if (signed) {
      const query = (req.url ?? '').split('?')[1] ?? '';
      const [payload, signature] = query.split('&signature=');
      const expected = createHmac('sha256', credentials.secret).update(payload ?? '').digest('hex');
      if (req.headers['x-mbx-apikey'] !== credentials.key) return send(401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
      if (signature !== expected) return send(400, { code: -1022, msg: 'Signature for this request is not valid.' });
    }
    switch (url.pathname) {
      case '/api/v3/time':
        return send(200, { serverTime: Date.now() });
      case '/api/v3/exchangeInfo':
        return send(200, exchangeInfo());
      case '/sapi/v1/account/apiRestrictions':
        return send(200, state.restrictions);
      case '/api/v3/account':
        return send(200, {
          makerCommission: 10,
          takerCommission: 10,
          buyerCommission: 0,
          sellerCommission: 0,
          commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
          canTrade: true,
          canWithdraw: true,
          canDeposit: true,
          brokered: false,
          requireSelfTradePrevention: false,
          preventSor: false,
          updateTime: Date.now(),
          accountType: 'SPOT',
          balances: state.balances,
          permissions: ['SPOT'],
          uid: 354937868,
        });
      case '/sapi/v1/capital/deposit/hisrec':
      case '/sapi/v1/capital/withdraw/history': {
        const deposits = url.pathname.includes('deposit');
        const from = Number(url.searchParams.get('startTime') ?? 0);
        const to = Number(url.searchParams.get('endTime') ?? Number.MAX_SAFE_INTEGER);
        const timeOf = (row: Record<string, unknown>) => (deposits ? Number(row.insertTime) : Date.parse(`${String(row.applyTime).replace(' ', 'T')}Z`));
        return send(200, (deposits ? state.deposits : state.withdrawals).filter((row) => timeOf(row) >= from && timeOf(row) <= to));
      }
      case '/api/v3/myTrades': {
        const symbol = url.searchParams.get('symbol');
        const fromId = Number(url.searchParams.get('fromId') ?? 0);
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 500), 1000);
        const found = state.trades.filter((trade) => trade.symbol === symbol && trade.id >= fromId).sort((a, b) => a.id - b.id);
        return send(200, found.slice(0, limit));
      }
      default:
        return send(404, { code: -1, msg: `No such path ${url.pathname}` });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    limitNext(path: string, count: number) {
      limited.set(path, count);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function exchangeInfo() {
  return {
    timezone: 'UTC',
    serverTime: Date.now(),
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
    ],
    exchangeFilters: [],
    symbols: SYMBOLS.map(([symbol, baseAsset, quoteAsset]) => ({
      symbol,
      status: 'TRADING',
      baseAsset,
      baseAssetPrecision: 8,
      quoteAsset,
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      baseCommissionPrecision: 8,
      quoteCommissionPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
      icebergAllowed: true,
      ocoAllowed: true,
      otoAllowed: true,
      quoteOrderQtyMarketAllowed: true,
      allowTrailingStop: true,
      cancelReplaceAllowed: true,
      amendAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: true,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
        { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
        { filterType: 'ICEBERG_PARTS', limit: 10 },
        { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '107.59318491', stepSize: '0.00000000' },
        { filterType: 'TRAILING_DELTA', minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000, minTrailingBelowDelta: 10, maxTrailingBelowDelta: 2000 },
        { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '5', bidMultiplierDown: '0.2', askMultiplierUp: '5', askMultiplierDown: '0.2', avgPriceMins: 5 },
        { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
        { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
        { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
      ],
      permissions: [],
      permissionSets: [['SPOT', 'MARGIN']],
      defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
      allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'],
    })),
  };
}

import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One fill as Coinbase Exchange's GET /fills sends it. */
export type CoinbaseFill = {
  created_at: string;
  trade_id: number;
  product_id: string;
  order_id: string;
  user_id: string;
  profile_id: string;
  liquidity: 'M' | 'T';
  price: string;
  size: string;
  fee: string;
  side: 'buy' | 'sell';
  settled: boolean;
  usd_volume: string;
  market_type: 'spot';
  funding_currency: string;
};

export type CoinbaseExchangeServer = {
  url: string;
  calls: string[];
  fills: CoinbaseFill[];
  /** Per currency, the balance of its account. */
  balances: Record<string, string>;
  /** As GET /transfers sends them. */
  transfers: Record<string, unknown>[];
  close(): Promise<void>;
};

const PRODUCTS = [
  ['BTC-USD', 'BTC', 'USD'],
  ['ETH-USD', 'ETH', 'USD'],
  ['ETH-BTC', 'ETH', 'BTC'],
] as const;
const PROFILE = '8058d771-2d88-4f0f-ab6e-299c153d4308';

/**
 * A local server speaking the Coinbase Exchange REST calls ccxt makes for a read-only account, with Coinbase's
 * response shapes: currencies, products, accounts and fills. Private calls are checked like Coinbase does: the
 * CB-ACCESS-KEY and CB-ACCESS-PASSPHRASE headers and the HMAC-SHA256 signature under the base64 secret.
 */
export async function startCoinbaseExchangeServer(credentials: { key: string; secret: string; passphrase: string }): Promise<CoinbaseExchangeServer> {
  const state: Omit<CoinbaseExchangeServer, 'url' | 'close'> = { calls: [], fills: [], balances: {}, transfers: [] };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.calls.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/accounts' || url.pathname === '/fills' || url.pathname === '/transfers') {
      const timestamp = String(req.headers['cb-access-timestamp'] ?? '');
      const expected = createHmac('sha256', Buffer.from(credentials.secret, 'base64'))
        .update(`${timestamp}${req.method}${req.url}`)
        .digest('base64');
      if (req.headers['cb-access-key'] !== credentials.key || req.headers['cb-access-sign'] !== expected) return send(401, { message: 'invalid signature' });
      if (req.headers['cb-access-passphrase'] !== credentials.passphrase) return send(401, { message: 'invalid passphrase' });
    }
    switch (url.pathname) {
      case '/currencies':
        return send(200, [currency('BTC', 'Bitcoin', 'crypto', '0.00000001'), currency('ETH', 'Ether', 'crypto', '0.00000001'), currency('USD', 'United States Dollar', 'fiat', '0.01')]);
      case '/products':
        return send(
          200,
          PRODUCTS.map(([id, base, quote]) => ({
            id,
            base_currency: base,
            quote_currency: quote,
            quote_increment: quote === 'USD' ? '0.01' : '0.00001',
            base_increment: '0.00000001',
            display_name: id.replace('-', '/'),
            min_market_funds: '1',
            margin_enabled: false,
            post_only: false,
            limit_only: false,
            cancel_only: false,
            status: 'online',
            status_message: '',
            trading_disabled: false,
            fx_stablecoin: false,
            max_slippage_percentage: '0.02000000',
            auction_mode: false,
            high_bid_limit_percentage: '',
          })),
        );
      case '/accounts':
        return send(
          200,
          Object.entries(state.balances).map(([currencyId, balance], index) => ({
            id: `71452118-efc7-4cc4-8780-a5e22d4baa5${index}`,
            currency: currencyId,
            balance,
            hold: '0.0000000000000000',
            available: balance,
            profile_id: PROFILE,
            trading_enabled: true,
            pending_deposit: '0',
            display_name: null,
          })),
        );
      case '/transfers': {
        const type = url.searchParams.get('type');
        return send(200, state.transfers.filter((transfer) => type === null || transfer.type === type));
      }
      case '/fills': {
        const product = url.searchParams.get('product_id');
        const start = url.searchParams.get('start_date');
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const after = url.searchParams.get('after');
        const found = state.fills
          .filter((fill) => fill.product_id === product && (start === null || fill.created_at >= start) && (after === null || fill.trade_id < Number(after)))
          .sort((a, b) => b.trade_id - a.trade_id);
        return send(200, found.slice(0, limit));
      }
      default:
        return send(404, { message: 'NotFound' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function currency(id: string, name: string, type: 'crypto' | 'fiat', precision: string) {
  return {
    id,
    name,
    min_size: precision,
    status: 'online',
    message: '',
    max_precision: precision,
    convertible_to: [],
    details: { type, symbol: '', network_confirmations: type === 'crypto' ? 2 : 0, sort_order: 20, push_payment_methods: type === 'crypto' ? ['crypto'] : ['bank_wire'], group_types: [] },
    default_network: type === 'crypto' ? name.toLowerCase() : '',
    supported_networks: [],
  };
}

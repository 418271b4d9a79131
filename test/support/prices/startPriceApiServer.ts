import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One price of a coin at a moment (unix seconds); the price as JSON number text, so every digit travels. */
export type PricePoint = { time: number; price: string };

export type PriceApiServer = {
  /** http://127.0.0.1:port: DefiLlama's coins API at the root, CoinGecko's under /api/v3. */
  url: string;
  coingeckoUrl: string;
  /** Sets a coin's price history, by DefiLlama's coin name (`coingecko:solana`, `base:0xabc…`, `solana:<mint>`). */
  setHistory(coin: string, points: PricePoint[]): void;
  /** Every request's path and query, in order, and its headers. */
  requests: { url: string; headers: IncomingHttpHeaders }[];
  /** Answers every request with this HTTP status (429 rate limit, 503 down) until set back to null. */
  failWith(status: number | null): void;
  stop(): Promise<void>;
};

/**
 * A local server that speaks the parts of DefiLlama's coins API (`/prices/current/{coins}`,
 * `/prices/historical/{unix}/{coins}?searchWidth=`) and CoinGecko's API (`/coins/{id}/market_chart/range`,
 * `/coins/{platform}/contract/{address}/market_chart/range`, `/simple/price`, `/simple/token_price/{platform}`)
 * that Lookout uses, answering from the price histories a test sets. CoinGecko ids and platforms map to the
 * same histories: `coingecko:<id>` and `<platform>:<address>`.
 */
export async function startPriceApiServer(): Promise<PriceApiServer> {
  const histories = new Map<string, PricePoint[]>();
  const requests: PriceApiServer['requests'] = [];
  let failure: number | null = null;
  const lookup = (coin: string) => histories.get(coin) ?? histories.get(coin.toLowerCase());

  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://local');
    const reply = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    if (failure !== null) return reply(failure, '{"message":"try later"}');
    const path = url.pathname;

    const current = /^\/prices\/current\/([^/]+)$/.exec(path);
    const historical = /^\/prices\/historical\/(\d+)\/([^/]+)$/.exec(path);
    if (current || historical) {
      const coins = decodeURIComponent((current?.[1] ?? historical?.[2])!).split(',');
      const at = historical ? Number(historical[1]) : Number.POSITIVE_INFINITY;
      const width = historical ? searchWidthSeconds(url.searchParams.get('searchWidth') ?? '6h') : Number.POSITIVE_INFINITY;
      const entries = coins.flatMap((coin) => {
        const points = lookup(coin) ?? [];
        const point = historical ? nearest(points, at, width) : points[points.length - 1];
        // The fields DefiLlama gives; numbers written as JSON numbers.
        return point ? [`${JSON.stringify(coin)}:{"symbol":"X","price":${point.price},"timestamp":${point.time},"confidence":0.99}`] : [];
      });
      return reply(200, `{"coins":{${entries.join(',')}}}`);
    }

    const chart = /^\/api\/v3\/coins\/([^/]+)(?:\/contract\/([^/]+))?\/market_chart\/range$/.exec(path);
    if (chart) {
      const coin = chart[2] ? `${chart[1]}:${chart[2]}` : `coingecko:${chart[1]}`;
      const points = lookup(coin);
      if (!points) return reply(404, '{"error":"coin not found"}');
      const from = Number(url.searchParams.get('from'));
      const to = Number(url.searchParams.get('to'));
      const inRange = points.filter((point) => point.time >= from && point.time <= to);
      const series = inRange.map((point) => `[${point.time * 1000},${point.price}]`).join(',');
      return reply(200, `{"prices":[${series}],"market_caps":[],"total_volumes":[]}`);
    }

    const simple = path === '/api/v3/simple/price' ? { keys: url.searchParams.get('ids') ?? '', coin: (key: string) => `coingecko:${key}` } : null;
    const token = /^\/api\/v3\/simple\/token_price\/([^/]+)$/.exec(path);
    if (simple || token) {
      const keys = (simple?.keys ?? url.searchParams.get('contract_addresses') ?? '').split(',').filter(Boolean);
      const entries = keys.flatMap((key) => {
        const points = lookup(simple ? simple.coin(key) : `${token![1]}:${key}`);
        const point = points?.[points.length - 1];
        return point ? [`${JSON.stringify(key)}:{"usd":${point.price},"last_updated_at":${point.time}}`] : [];
      });
      return reply(200, `{${entries.join(',')}}`);
    }
    return reply(404, '{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    coingeckoUrl: `${url}/api/v3`,
    setHistory: (coin, points) => void histories.set(coin, [...points].sort((a, b) => a.time - b.time)),
    requests,
    failWith: (status) => void (failure = status),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function nearest(points: PricePoint[], at: number, width: number): PricePoint | undefined {
  let best: PricePoint | undefined;
  for (const point of points) {
    if (Math.abs(point.time - at) > width) continue;
    if (!best || Math.abs(point.time - at) < Math.abs(best.time - at)) best = point;
  }
  return best;
}

/** DefiLlama's searchWidth: a number and a unit (m, h, d, w), e.g. `6h`, `120m`. */
function searchWidthSeconds(text: string): number {
  const match = /^(\d+)([mhdw])$/i.exec(text);
  if (!match) return 6 * 3600;
  const unit = { m: 60, h: 3600, d: 86_400, w: 604_800 }[match[2]!.toLowerCase() as 'm' | 'h' | 'd' | 'w'];
  return Number(match[1]) * unit;
}

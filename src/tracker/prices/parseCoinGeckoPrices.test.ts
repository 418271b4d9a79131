import { describe, expect, it } from 'vitest';
import { parseCoinGeckoMarketChart, parseCoinGeckoSimplePrices } from './parseCoinGeckoPrices.js';
import { parseJsonNumbersAsText } from './parseJsonNumbersAsText.js';

// The shape of /coins/{id}/market_chart/range and /coins/{platform}/contract/{address}/market_chart/range: times in ms.
const CHART = `{"prices":[[1716998400000,3790.5],[1716998700000,3801.123456789012345678],[1716999000000,3799.25]],
  "market_caps":[[1716998400000,455000000000.12]],"total_volumes":[[1716998400000,12000000000.5]]}`;

describe('parseCoinGeckoMarketChart', () => {
  const chart = parseJsonNumbersAsText(CHART);

  it('behavior: the point nearest the moment, with its own time and every digit', () => {
    expect(parseCoinGeckoMarketChart(chart, new Date(1_716_998_760_000), 3_600_000)).toEqual({
      priceUsd: '3801.123456789012345678',
      observedAt: new Date(1_716_998_700_000),
    });
    expect(parseCoinGeckoMarketChart(chart, new Date(1_716_999_100_000), 3_600_000)?.priceUsd).toBe('3799.25');
  });

  it('error: no point near enough, an empty chart and a broken answer give no price', () => {
    expect(parseCoinGeckoMarketChart(chart, new Date(1_716_998_400_000 - 7_200_000), 3_600_000)).toBeNull();
    expect(parseCoinGeckoMarketChart(parseJsonNumbersAsText('{"prices":[],"market_caps":[],"total_volumes":[]}'), new Date(0), 3_600_000)).toBeNull();
    expect(parseCoinGeckoMarketChart(parseJsonNumbersAsText('{"prices":[[1716998400000,0],["x",5],[1]]}'), new Date(1_716_998_400_000), 3_600_000)).toBeNull();
    expect(parseCoinGeckoMarketChart({ error: 'coin not found' }, new Date(0), 3_600_000)).toBeNull();
  });
});

describe('parseCoinGeckoSimplePrices', () => {
  it('behavior: /simple/price and /simple/token_price answers, keyed by id or contract, with their update time', () => {
    const fallback = new Date('2024-06-01T00:00:00Z');
    const byId = parseCoinGeckoSimplePrices(parseJsonNumbersAsText('{"ethereum":{"usd":3801.12,"last_updated_at":1717000000},"solana":{"usd":171.5}}'), fallback);
    expect(byId.get('ethereum')).toEqual({ priceUsd: '3801.12', observedAt: new Date(1_717_000_000_000) });
    expect(byId.get('solana')).toEqual({ priceUsd: '171.5', observedAt: fallback });
    const byContract = parseCoinGeckoSimplePrices(
      parseJsonNumbersAsText('{"0x4200000000000000000000000000000000000006":{"usd":3800.99,"last_updated_at":1717000001},"0xdead":{"usd":0}}'),
      fallback,
    );
    expect([...byContract.keys()]).toEqual(['0x4200000000000000000000000000000000000006']);
    expect(parseCoinGeckoSimplePrices([], fallback).size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { parseCoinGeckoTokenPrice, parseDexScreenerPrice } from './parseApiPrice.js';
import { parseJsonNumbersAsText } from './parseJsonNumbersAsText.js';

const WETH = '0x4200000000000000000000000000000000000006';
const MINT = 'So11111111111111111111111111111111111111112';

describe('parseCoinGeckoTokenPrice', () => {
  it('behavior: reads the usd price exactly and the update time', () => {
    const json = parseJsonNumbersAsText(`{"${WETH}":{"usd":3300.123456789012345678,"last_updated_at":1717000000}}`);
    expect(parseCoinGeckoTokenPrice(json, WETH)).toEqual({ priceUsd: '3300.123456789012345678', updatedAt: new Date(1_717_000_000_000) });
  });

  it('behavior: finds a checksummed address under its lower-case key, a mint under its own, and expands exponents', () => {
    const json = parseJsonNumbersAsText(`{"0x833589fcd6edb6e08f4c7c32d4f71b54bda02913":{"usd":1.5e-9},"${MINT}":{"usd":"150.5"}}`);
    expect(parseCoinGeckoTokenPrice(json, '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913')?.priceUsd).toBe('0.0000000015');
    expect(parseCoinGeckoTokenPrice(json, MINT)).toEqual({ priceUsd: '150.5', updatedAt: null });
  });

  it('error: a missing token, a zero price or garbage is no price', () => {
    expect(parseCoinGeckoTokenPrice(parseJsonNumbersAsText('{}'), WETH)).toBeNull();
    expect(parseCoinGeckoTokenPrice(parseJsonNumbersAsText(`{"${WETH}":{"usd":0}}`), WETH)).toBeNull();
    expect(parseCoinGeckoTokenPrice(parseJsonNumbersAsText(`{"${WETH}":{"usd":"n/a"}}`), WETH)).toBeNull();
    expect(parseCoinGeckoTokenPrice(parseJsonNumbersAsText(`{"${WETH}":{}}`), WETH)).toBeNull();
    expect(parseCoinGeckoTokenPrice(['x'], WETH)).toBeNull();
  });
});

describe('parseDexScreenerPrice', () => {
  const pair = (chainId: string, base: string, priceUsd: string | undefined, liquidity: number | string) => ({
    chainId,
    baseToken: { address: base },
    quoteToken: { address: '0x0000000000000000000000000000000000000001' },
    ...(priceUsd === undefined ? {} : { priceUsd }),
    liquidity: { usd: liquidity },
  });

  it('behavior: takes the deepest pair on the chain where the token is the base', () => {
    const answer = {
      pairs: [
        pair('base', '0x4200000000000000000000000000000000000006', '3301.5', 1_000),
        pair('base', '0x4200000000000000000000000000000000000006', '3300.25', '5000000.5'),
        pair('ethereum', WETH, '9999', 9e12),
        pair('base', '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913', '1', 9e12),
        pair('base', WETH, undefined, 9e12),
      ],
    };
    expect(parseDexScreenerPrice(answer, 'base', WETH)).toEqual({ priceUsd: '3300.25', updatedAt: null });
  });

  it('behavior: compares Solana mints exactly', () => {
    const answer = { pairs: [pair('solana', MINT.toLowerCase(), '1', 10), pair('solana', MINT, '150.1', 1)] };
    expect(parseDexScreenerPrice(answer, 'solana', MINT)?.priceUsd).toBe('150.1');
  });

  it('error: no pairs, null pairs or no matching pair is no price', () => {
    expect(parseDexScreenerPrice({ pairs: null }, 'base', WETH)).toBeNull();
    expect(parseDexScreenerPrice({}, 'base', WETH)).toBeNull();
    expect(parseDexScreenerPrice({ pairs: [pair('base', WETH, '0', 1)] }, 'base', WETH)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { parseDefiLlamaPrices } from './parseDefiLlamaPrices.js';
import { parseJsonNumbersAsText } from './parseJsonNumbersAsText.js';

// The shape DefiLlama's coins API answers /prices/current/… and /prices/historical/{unix}/… with.
const ANSWER = `{"coins":{
  "coingecko:ethereum":{"symbol":"ETH","price":3801.123456789012345678,"timestamp":1717000012,"confidence":0.99},
  "base:0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913":{"decimals":6,"symbol":"USDC","price":0.999912,"timestamp":1717000003,"confidence":0.99},
  "solana:EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v":{"decimals":6,"symbol":"USDC","price":1.0001,"timestamp":1717000001,"confidence":0.99},
  "sonic:0x1111111111111111111111111111111111111111":{"decimals":18,"symbol":"THIN","price":5,"timestamp":1717000000,"confidence":0.2},
  "coingecko:sonic-3":{"symbol":"S","price":0.000000012345678901234567,"timestamp":1717000000},
  "solana:MemeMint1111111111111111111111111111111111":{"decimals":6,"symbol":"MEME","price":1.23e-7,"timestamp":1717000000,"confidence":0.9}
}}`;

describe('parseDefiLlamaPrices', () => {
  it('behavior: keeps every digit and the time of each price, keyed by the coin as written', () => {
    const prices = parseDefiLlamaPrices(parseJsonNumbersAsText(ANSWER));
    expect(prices.get('coingecko:ethereum')).toEqual({ priceUsd: '3801.123456789012345678', observedAt: new Date(1_717_000_012_000) });
    expect(prices.get('base:0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913')).toEqual({ priceUsd: '0.999912', observedAt: new Date(1_717_000_003_000) });
    expect(prices.get('solana:EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v')?.priceUsd).toBe('1.0001');
    // Without a confidence the price stands; its tiny digits are not rounded through a float.
    expect(prices.get('coingecko:sonic-3')?.priceUsd).toBe('0.000000012345678901234567');
    // A JavaScript server writes tiny prices with an exponent.
    expect(prices.get('solana:MemeMint1111111111111111111111111111111111')?.priceUsd).toBe('0.000000123');
  });

  it('error: a low-confidence, zero, negative or timeless price is left out, and junk gives nothing', () => {
    const prices = parseDefiLlamaPrices(
      parseJsonNumbersAsText(`{"coins":{"a:1":{"price":0,"timestamp":1717000000},"a:2":{"price":-1,"timestamp":1717000000},"a:3":{"price":2},"a:4":{"price":"x","timestamp":1}}}`),
    );
    expect([...prices.keys()]).toEqual([]);
    expect(parseDefiLlamaPrices(parseJsonNumbersAsText(ANSWER)).has('sonic:0x1111111111111111111111111111111111111111')).toBe(false);
    expect(parseDefiLlamaPrices({ coins: [] }).size).toBe(0);
    expect(parseDefiLlamaPrices(null).size).toBe(0);
    expect(parseDefiLlamaPrices(parseJsonNumbersAsText('{"coins":{}}')).size).toBe(0);
  });
});

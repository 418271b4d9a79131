import { describe, expect, it } from 'vitest';
import { encodeLegacyPythPrice, encodePriceUpdateV2 } from '../../../test/support/prices/encodePythPriceAccount.js';
import { parsePythPriceAccount } from './parsePythPriceAccount.js';

describe('parsePythPriceAccount', () => {
  it('behavior: reads the aggregate price, status, publish slot and time of a legacy price account', () => {
    const data = encodeLegacyPythPrice({ price: 15_312_345_678n, exponent: -8, publishSlot: 290_000_123n, timestamp: 1_717_000_000n });
    expect(parsePythPriceAccount(data)).toEqual({
      ok: true,
      price: {
        priceUsd: '153.12345678',
        slot: 290_000_123n,
        status: 'trading',
        publishTime: new Date(1_717_000_000_000),
        layout: 'legacy',
      },
    });
  });

  it('behavior: reads a PriceUpdateV2 account with a Full or a Partial verification level', () => {
    const full = parsePythPriceAccount(encodePriceUpdateV2({ price: 14_250_000_001n, exponent: -8, publishTime: 1_717_000_100n, postedSlot: 7n }));
    expect(full).toEqual({
      ok: true,
      price: { priceUsd: '142.50000001', slot: 7n, status: 'trading', publishTime: new Date(1_717_000_100_000), layout: 'price_update_v2' },
    });
    const partial = parsePythPriceAccount(
      encodePriceUpdateV2({ price: 5n, exponent: 2, publishTime: 1n, postedSlot: 9n, partialSignatures: 5 }),
    );
    expect(partial.ok && partial.price).toMatchObject({ priceUsd: '500', slot: 9n });
  });

  it('behavior: a halted legacy price is reported with its status, for the reader to refuse', () => {
    const data = encodeLegacyPythPrice({ price: 1n, exponent: -8, status: 2, publishSlot: 1n, timestamp: 1n });
    const parsed = parsePythPriceAccount(data);
    expect(parsed.ok && parsed.price.status).toBe('halted');
  });

  it('error: refuses other accounts, short data and a legacy account that is not a price account', () => {
    expect(parsePythPriceAccount(new Uint8Array(165)).ok).toBe(false);
    expect(parsePythPriceAccount(new Uint8Array(0)).ok).toBe(false);
    const product = encodeLegacyPythPrice({ price: 1n, exponent: -8, publishSlot: 1n, timestamp: 1n, accountType: 2 });
    expect(parsePythPriceAccount(product)).toMatchObject({ ok: false, problem: expect.stringMatching(/type 2 is not a price account/) });
    expect(parsePythPriceAccount(encodeLegacyPythPrice({ price: 1n, exponent: -8, publishSlot: 1n, timestamp: 1n }).subarray(0, 239)).ok).toBe(false);
    expect(parsePythPriceAccount(encodePriceUpdateV2({ price: 1n, exponent: -8, publishTime: 1n, postedSlot: 1n }).subarray(0, 100)).ok).toBe(false);
    const badLevel = encodePriceUpdateV2({ price: 1n, exponent: -8, publishTime: 1n, postedSlot: 1n });
    badLevel[40] = 7;
    expect(parsePythPriceAccount(badLevel)).toMatchObject({ ok: false, problem: expect.stringMatching(/verification level 7/) });
  });
});

import { describe, expect, it } from 'vitest';
import type { ChainConfig } from '../../config/chainPresets.js';
import type { AlertTrade } from '../../db/alertQueries.js';
import { alertLine } from './alertHeadline.js';
import { alertJson, alertView } from './alertView.js';

const chain = { name: 'base', kind: 'evm', nativeSymbol: 'ETH', nativeDecimals: 18, explorer: 'https://basescan.org' } as ChainConfig;
const TOKEN = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';

function trade(overrides: Partial<AlertTrade>): AlertTrade {
  return {
    id: 1,
    chain: 'base',
    blockNumber: 10n,
    blockHash: '0xb',
    blockTime: null,
    txHash: '0xabc',
    txIndex: 0,
    wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
    kind: 'transfer_in',
    failed: false,
    baseAsset: TOKEN,
    baseAmount: 12_500_000n,
    quoteAsset: null,
    quoteAmount: null,
    fee: 0n,
    venue: null,
    counterparty: null,
    usdValue: null,
    isSpam: false,
    unsplitNative: null,
    revertedAt: null,
    createdAt: new Date(),
    label: 'alice',
    changes: [],
    ...overrides,
  };
}

describe('alertView', () => {
  it('behavior: a token whose decimals are unknown is shown in raw units and says so, never with guessed decimals', () => {
    const view = alertView(trade({ changes: [{ asset: TOKEN, amount: 12_500_000n, symbol: null, decimals: null }] }), 'trade', chain);
    expect(view.received).toMatchObject([{ amount: '12500000', symbol: '0xe7f1…0512 (raw units, decimals unknown)' }]);
    expect(alertLine(view)).toContain('12500000 0xe7f1…0512 (raw units, decimals unknown)');
  });

  it('behavior: native coin that could not be split between transactions of one block is named in a note', () => {
    const view = alertView(
      trade({ kind: 'transfer_out', unsplitNative: 3_323_000_000_000_000n, changes: [{ asset: TOKEN, amount: -400n, symbol: 'MEME', decimals: 0 }] }),
      'trade',
      chain,
    );
    expect(view.note).toMatch(/^0\.003323 ETH received inside calls in this block is not shown above/);
    expect(alertJson(view)).toMatchObject({ note: view.note });
    expect(alertLine(view)).toContain(view.note!);
    expect(alertJson(alertView(trade({}), 'trade', chain))).not.toHaveProperty('note');
  });
});

import { describe, expect, it } from 'vitest';
import type { ChainConfig } from '../../config/chainPresets.js';
import type { AlertTrade } from '../../db/alertQueries.js';
import { Rational } from '../../tracker/pnl/Rational.js';
import type { AlertContext } from '../../usecases/alertContext.js';
import { alertEmbed } from '../discord/discordEmbeds.js';
import { alertHtml, alertSummaryHtml } from '../telegram/telegramHtml.js';
import { alertLine } from './alertHeadline.js';
import { alertJson, alertView } from './alertView.js';

const chain = { name: 'base', kind: 'evm', chainId: 8453, nativeSymbol: 'ETH', nativeDecimals: 18, explorer: 'https://basescan.org' } as ChainConfig;
const solana = { name: 'solana', kind: 'solana', chainId: null, nativeSymbol: 'SOL', nativeDecimals: 9, explorer: 'https://solscan.io' } as ChainConfig;
const local = { ...chain, name: 'localbase', chainId: 31337 } as ChainConfig;
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
    preconfirmed: false,
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

const E18 = 10n ** 18n;
const USDC = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';

/** A buy of 2,000 MEME for 500 USDC, or the sale of 1,000 MEME for 400 USDC. */
function memeTrade(kind: 'buy' | 'sell', usd: string | null = kind === 'buy' ? '500' : '400') {
  const meme = kind === 'buy' ? 2_000n * E18 : -1_000n * E18;
  const usdc = kind === 'buy' ? -500_000_000n : 400_000_000n;
  return trade({
    kind,
    baseAsset: TOKEN,
    baseAmount: meme < 0n ? -meme : meme,
    quoteAsset: USDC,
    usdValue: usd,
    txHash: '0x' + 'ab'.repeat(32),
    changes: [
      { asset: TOKEN, amount: meme, symbol: 'MEME', decimals: 18 },
      { asset: USDC, amount: usdc, symbol: 'USDC', decimals: 6 },
    ],
  });
}

const firstBuy: AlertContext = { position: { asset: TOKEN, before: 0n, after: 2_000n * E18, firstBuy: true }, sale: null };
const halfSold = (method: 'fifo' | 'average', realized: string): AlertContext => ({
  position: { asset: TOKEN, before: 2_000n * E18, after: 1_000n * E18, firstBuy: false },
  sale: { method, realizedUsd: Rational.parse(realized), unknownProceedsUsd: Rational.ZERO, soldShare: Rational.of(1n, 2n) },
});
const embedText = (view: ReturnType<typeof alertView>) => JSON.stringify(alertEmbed(view).toJSON());

describe('alertView: the position behind an alert', () => {
  it('behavior: one headline names the kind once; the token, its copyable address, holding, value and first buy follow', () => {
    const view = alertView(memeTrade('buy'), 'trade', chain, firstBuy);
    const html = alertHtml(view);
    expect(html.split('\n')[0]).toBe('🟢 <b>alice</b> BUY 2,000 MEME for 500 USDC');
    expect(html.match(/BUY/g)).toHaveLength(1);
    expect(html).toContain(`🪙 MEME <code>${TOKEN}</code>`);
    expect(html).toContain('💵 $500.00 · $0.25 per MEME');
    expect(html).toContain('💼 Holds 2,000 MEME ($500.00) · 🆕 first buy');
    expect(alertLine(view)).toBe(
      `[base] alice BUY 2,000 MEME for 500 USDC ($500.00) · 0xabab…abab · $0.25 per MEME · MEME ${TOKEN} · holds 2,000 MEME ($500.00) · first buy`,
    );
    expect(alertJson(view)).toMatchObject({
      usd: '500',
      priceUsd: '0.25',
      token: { asset: TOKEN, symbol: 'MEME', contract: TOKEN, chart: `https://dexscreener.com/base/${TOKEN}` },
      holding: { amount: '2000', valueUsd: '500.00', firstBuy: true },
      sale: null,
    });
    const embed = alertEmbed(view).toJSON();
    expect(embed.title).toBe('🟢 alice BUY 2,000 MEME for 500 USDC');
    expect(embed.description).toContain(`🪙 MEME \`${TOKEN}\``);
    expect(embed.description).toContain('🆕 First buy');
    expect(embed.fields).toEqual(expect.arrayContaining([{ name: 'Holding after', value: 'Holds 2,000 MEME ($500.00)', inline: true }]));
  });

  it('behavior: a sale shows what it realized under FIFO and the share of the position sold, and the holding left at the sale price', () => {
    const view = alertView(memeTrade('sell'), 'trade', chain, halfSold('fifo', '150'));
    expect(alertHtml(view)).toContain('📈 Realized +$150.00 (FIFO) · sold 50% of the position');
    expect(alertHtml(view)).toContain('💼 Holds 1,000 MEME ($400.00)');
    expect(alertHtml(view)).toContain('💵 $400.00 · $0.40 per MEME');
    expect(alertHtml(view)).not.toContain('first buy');
    expect(alertJson(view)).toMatchObject({ sale: { method: 'fifo', realizedUsd: '150.00', unknownProceedsUsd: '0.00', soldPercent: '50' } });
    expect(embedText(view)).toContain('Realized +$150.00 (FIFO) · sold 50% of the position');
  });

  it('behavior: under average cost a loss reads as one, and tokens of unknown cost are named, not counted', () => {
    const context = halfSold('average', '-12.5');
    context.sale!.unknownProceedsUsd = Rational.parse('40');
    const view = alertView(memeTrade('sell'), 'trade', chain, context);
    expect(alertHtml(view)).toContain('📉 Realized -$12.50 (average cost, $40.00 of it from tokens of unknown cost, not counted) · sold 50% of the position');
    expect(alertLine(view)).toContain('realized -$12.50 (average cost, $40.00 of it from tokens of unknown cost, not counted)');
  });

  it('behavior: selling everything says the whole position went and that none is held', () => {
    const view = alertView(memeTrade('sell'), 'trade', chain, {
      position: { asset: TOKEN, before: 1_000n * E18, after: 0n, firstBuy: false },
      sale: { method: 'fifo', realizedUsd: Rational.parse('100'), unknownProceedsUsd: Rational.ZERO, soldShare: Rational.ONE },
    });
    expect(alertHtml(view)).toContain('💼 Holds no MEME now');
    expect(alertHtml(view)).toContain('sold the whole position');
  });

  it('error: a holding below zero (tokens held before Lookout followed the wallet) is said to be unknown, never shown negative', () => {
    const view = alertView(memeTrade('sell'), 'trade', chain, {
      position: { asset: TOKEN, before: 500n * E18, after: -500n * E18, firstBuy: false },
      sale: { method: 'fifo', realizedUsd: Rational.parse('0'), unknownProceedsUsd: Rational.parse('400'), soldShare: null },
    });
    expect(alertHtml(view)).toContain('💼 Holding of MEME unknown: more was sent out than Lookout saw come in');
    expect(alertHtml(view)).not.toContain('-500');
    expect(alertHtml(view)).not.toContain('of the position');
  });

  it('error: an unpriced trade shows no $ figure anywhere and says it is unpriced', () => {
    const view = alertView(memeTrade('buy', null), 'trade', chain, firstBuy);
    const html = alertHtml(view);
    expect(html).toContain('💵 unpriced: no USD price was found for this trade');
    expect(html).not.toMatch(/\$\d/);
    expect(alertLine(view)).not.toMatch(/\$\d/);
    expect(alertLine(view)).toContain('(unpriced)');
    expect(alertLine(view)).toContain('holds 2,000 MEME · first buy');
    expect(embedText(view)).not.toMatch(/\$\d/);
    expect(alertJson(view)).toMatchObject({ usd: null, priceUsd: null, holding: { valueUsd: null } });
  });

  it('behavior: links go to the explorer and to DexScreener on EVM chains, Birdeye on Solana, and nowhere for an unknown chain', () => {
    const base = alertHtml(alertView(memeTrade('buy'), 'trade', chain, firstBuy));
    expect(base).toContain(`<a href="https://basescan.org/token/${TOKEN}">token</a>`);
    expect(base).toContain(`<a href="https://dexscreener.com/base/${TOKEN}">DexScreener</a>`);
    expect(base).toContain('<a href="https://basescan.org/tx/0xabab');
    const mint = 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263';
    const onSolana = alertView(
      trade({ chain: 'solana', kind: 'buy', baseAsset: mint, usdValue: '10', changes: [{ asset: mint, amount: 1_000_000n, symbol: 'BONK', decimals: 5 }, { asset: 'native', amount: -E18 / 10n ** 10n, symbol: null, decimals: null }] }),
      'trade',
      solana,
    );
    expect(alertHtml(onSolana)).toContain(`<a href="https://birdeye.so/token/${mint}?chain=solana">Birdeye</a>`);
    expect(alertHtml(onSolana)).toContain(`<a href="https://solscan.io/token/${mint}">token</a>`);
    expect(embedText(onSolana)).toContain(`[Birdeye](https://birdeye.so/token/${mint}?chain=solana)`);
    const onLocal = alertHtml(alertView(memeTrade('buy'), 'trade', local, firstBuy));
    expect(onLocal).not.toContain('dexscreener');
  });

  it('behavior: a correction shows what was dropped, without a position', () => {
    const view = alertView(memeTrade('buy'), 'correction', chain, firstBuy);
    expect(view.holding).toBeNull();
    expect(alertHtml(view).split('\n')[0]).toBe('⚠️ Correction: a chain reorg dropped this trade of <b>alice</b>: BUY 2,000 MEME for 500 USDC');
    expect(alertHtml(view)).not.toContain('Holds');
  });

  it('behavior: a preconfirmed trade is marked so on the console, in JSON, Telegram and Discord; its correction says it did not land', () => {
    const preconfirmed = { ...memeTrade('buy'), preconfirmed: true };
    const view = alertView(preconfirmed, 'trade', chain, firstBuy);
    expect(alertLine(view)).toMatch(/^\[base\] PRECONFIRMED alice BUY 2,000 MEME for 500 USDC/);
    expect(alertJson(view)).toMatchObject({ type: 'trade', preconfirmed: true });
    expect(alertHtml(view).split('\n')[1]).toBe('⚡ preconfirmed, block not sealed yet');
    expect(alertSummaryHtml([view])).toContain('🟢 ⚡ <b>alice</b>');
    expect(alertEmbed(view).toJSON().fields).toEqual(expect.arrayContaining([{ name: 'Status', value: '⚡ preconfirmed, block not sealed yet' }]));
    const sealed = alertView(memeTrade('buy'), 'trade', chain, firstBuy);
    expect(alertJson(sealed)).not.toHaveProperty('preconfirmed');
    expect(alertLine(sealed)).not.toContain('PRECONFIRMED');
    expect(alertHtml(sealed)).not.toContain('preconfirmed');
    const correction = alertView(preconfirmed, 'correction', chain);
    expect(alertLine(correction)).toMatch(/^\[base\] CORRECTION: the sealed block did not confirm the preconfirmed alice BUY/);
    expect(alertHtml(correction).split('\n')[0]).toBe('⚠️ Correction: the sealed block did not confirm this preconfirmed trade of <b>alice</b>: BUY 2,000 MEME for 500 USDC');
    expect(alertEmbed(correction).toJSON().title).toBe('⚠️ Preconfirmed, not confirmed: alice BUY 2,000 MEME for 500 USDC');
    expect(alertJson(correction)).toMatchObject({ type: 'correction', preconfirmed: true });
  });

  it('behavior: a burst summary keeps each trade’s USD value and says first buy and realized PnL in short', () => {
    const summary = alertSummaryHtml([
      alertView(memeTrade('buy'), 'trade', chain, firstBuy),
      alertView(memeTrade('sell'), 'trade', chain, halfSold('fifo', '150')),
      alertView(memeTrade('buy', null), 'trade', chain),
    ]);
    const [, buy, sell, unpriced] = summary.split('\n');
    expect(buy).toContain('BUY 2,000 MEME for 500 USDC ($500.00) · first buy [base]');
    expect(sell).toContain('SELL 1,000 MEME for 400 USDC ($400.00) · realized +$150.00 [base]');
    expect(unpriced).toContain('(unpriced) [base]');
  });
});

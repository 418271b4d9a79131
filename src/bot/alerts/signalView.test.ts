import { describe, expect, it } from 'vitest';
import type { ChainConfig } from '../../config/chainPresets.js';
import type { StoredSignal } from '../../db/signalQueries.js';
import { signalEmbed } from '../discord/signalEmbed.js';
import { signalHtml, signalSummaryHtml } from '../telegram/telegramHtml.js';
import { signalJson, signalLine, signalView } from './signalView.js';

const chain = { name: 'base', kind: 'evm', chainId: 8453, nativeSymbol: 'ETH', nativeDecimals: 18, explorer: 'https://basescan.org' } as ChainConfig;
const TOKEN = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
const TX = `0x${'ab'.repeat(32)}`;

function stored(overrides: Partial<StoredSignal> = {}): StoredSignal {
  return {
    id: 1,
    workspaceId: 'local',
    groupName: 'whales <3',
    chain: 'base',
    token: TOKEN,
    symbol: 'MEME',
    decimals: 18,
    windowStart: new Date('2026-01-01T10:00:00Z'),
    windowEnd: new Date('2026-01-01T11:00:00Z'),
    minWallets: 3,
    windowSeconds: 3_600,
    wallets: [
      { wallet: '0x1111111111111111111111111111111111111111', label: 'whale1', amount: 1_500n * 10n ** 18n, usd: '3000' },
      { wallet: '0x2222222222222222222222222222222222222222', label: null, amount: 10n ** 17n, usd: '0.2' },
      { wallet: '0x3333333333333333333333333333333333333333', label: 'w3', amount: 123_456_789n, usd: '0.000001' },
    ],
    ...overrides,
  };
}

describe('signal views', () => {
  it('behavior: the JSON object lists the wallets with exact amounts and USD, the total and the window', () => {
    expect(signalJson(signalView(stored(), { txHash: TX }, chain))).toEqual({
      type: 'signal',
      chain: 'base',
      group: 'whales <3',
      token: { asset: TOKEN, symbol: 'MEME', contract: TOKEN, chart: `https://dexscreener.com/base/${TOKEN}` },
      wallets: [
        { label: 'whale1', wallet: '0x1111111111111111111111111111111111111111', amount: '1500', usd: '3000' },
        { label: '0x2222…2222', wallet: '0x2222222222222222222222222222222222222222', amount: '0.1', usd: '0.2' },
        { label: 'w3', wallet: '0x3333333333333333333333333333333333333333', amount: '0.000000000123456789', usd: '0.000001' },
      ],
      totalUsd: '3000.200001',
      minWallets: 3,
      window: { start: '2026-01-01T10:00:00.000Z', end: '2026-01-01T11:00:00.000Z', seconds: 3_600 },
      tx: TX,
    });
  });

  it('behavior: one unpriced wallet leaves the total unpriced', () => {
    const view = signalView(stored({ wallets: [...stored().wallets.slice(0, 2), { wallet: '0x3333333333333333333333333333333333333333', label: 'w3', amount: 1n, usd: null }] }), { txHash: TX }, chain);
    expect(view.totalUsd).toBeNull();
    expect(signalLine(view)).toContain('w3 0.000000000000000001 MEME (unpriced) · total unpriced');
  });

  it('behavior: the console line, the Telegram message and the Discord embed say the same, with user text escaped', () => {
    const view = signalView(stored(), { txHash: TX }, chain);
    expect(signalLine(view)).toBe(
      `[base] SIGNAL 3 wallets of whales <3 bought MEME within 1h: whale1 1,500 MEME ($3,000.00), 0x2222…2222 0.1 MEME ($0.20), w3 0.000000000123 MEME ($0.00) · total $3,000.20 · MEME ${TOKEN} · 0xabab…abab`,
    );
    const html = signalHtml(view);
    expect(html).toContain('🚨 <b>Signal</b>: 3 wallets of whales &lt;3 bought MEME within 1h');
    expect(html).toContain('• <a href="https://basescan.org/address/0x1111111111111111111111111111111111111111">whale1 1,500 MEME ($3,000.00)</a>');
    expect(html).toContain(`🪙 MEME <code>${TOKEN}</code>`);
    expect(html).toContain(`<a href="https://basescan.org/tx/${TX}">last buy</a>`);
    expect(signalSummaryHtml(view)).toBe('🚨 <b>Signal</b>: 3 wallets of whales &lt;3 bought MEME within 1h ($3,000.20) [base]');
    const embed = signalEmbed(view).toJSON();
    expect(embed.title).toBe('🚨 Signal: 3 wallets of whales <3 bought MEME within 1h');
    expect(embed.description).toContain('whale1 1,500 MEME ($3,000.00)');
    expect(embed.fields).toContainEqual({ name: 'Total USD', value: '$3,000.20', inline: true });
    expect(embed.url).toBe(`https://basescan.org/tx/${TX}`);
  });

  it('behavior: a withdrawn signal says so first, with how many wallets still stand, on every renderer', () => {
    const view = { ...signalView(stored(), { txHash: TX }, chain), withdrawn: { remaining: 2 } };
    const note = 'A buy it counted was undone: 2 of the 3 wallets it needs still bought within 1h.';
    expect(signalJson(view)).toMatchObject({ type: 'signal_withdrawn', remainingWallets: 2, minWallets: 3, tx: TX });
    expect(signalLine(view)).toBe(`[base] SIGNAL WITHDRAWN 3 wallets of whales <3 bought MEME within 1h: ${note} · 0xabab…abab`);
    const html = signalHtml(view);
    expect(html.split('\n').slice(0, 2)).toEqual(['↩️ <b>Signal withdrawn</b>: 3 wallets of whales &lt;3 bought MEME within 1h', `<b>${note}</b>`]);
    expect(signalSummaryHtml(view)).toBe('↩️ <b>Signal withdrawn</b>: 3 wallets of whales &lt;3 bought MEME within 1h [base]');
    const embed = signalEmbed(view).toJSON();
    expect(embed.title).toBe('↩️ Signal withdrawn: 3 wallets of whales <3 bought MEME within 1h');
    expect(embed.description?.split('\n')[0]).toBe(`**${note}**`);
    expect(embed.color).toBe(0x95a5a6);
  });
});

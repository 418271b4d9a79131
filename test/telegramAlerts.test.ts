import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertOutbox, balanceChanges, tokens, trades } from '../src/db/schema.js';
import { startTelegramLookout } from './support/inProcessLookout.js';
import type { SentMessage } from './support/telegram/telegramTraffic.js';

const GROUP = { id: -1005550002, type: 'supergroup' as const, title: 'Desk' };
const ADMIN = { id: 41, first_name: 'Ada' };
const MEMBER = { id: 42, first_name: 'Bo' };

describe('Telegram: /alerts holds the settings and the routes, as on Discord', () => {
  let lookout: Awaited<ReturnType<typeof startTelegramLookout>>;
  const say = async (from: typeof ADMIN, text: string): Promise<SentMessage> => {
    const before = lookout.telegram.messages(GROUP.id).length;
    lookout.telegram.sendText(GROUP, from, text);
    const [reply] = (await lookout.telegram.waitForMessages(GROUP.id, before + 1, 15_000)).slice(before);
    return reply!;
  };

  beforeAll(async () => {
    lookout = await startTelegramLookout();
    lookout.telegram.setMember(GROUP.id, ADMIN.id, 'administrator');
    lookout.telegram.setMember(GROUP.id, MEMBER.id, 'member');
  }, 60_000);
  afterAll(async () => lookout?.stop());

  it('behavior: an admin routes a group’s alerts to this chat; anyone lists the routes; a member cannot change them', async () => {
    expect((await say(ADMIN, '/group new whales')).shownText).toMatch(/Created group whales/);
    const routed = await say(ADMIN, '/alerts route here whales 500 buy,sell');
    expect(routed.shownText).toMatch(/Alerts of group whales go to this chat \(from \$500\.00; only buy, sell; signal when 3 wallets buy one token within 1h\)/);
    expect((await say(MEMBER, '/alerts routes')).shownText).toMatch(/#\d+: group whales → this chat/);
    expect((await say(MEMBER, '/alerts route here')).shownText).toMatch(/Only this chat’s administrators/);
    expect((await say(MEMBER, '/alerts')).shownText).toMatch(/Alerts: on/);
  });

  it('error: a route number the chat does not have says where to see them; a route elsewhere says how to route here', async () => {
    expect((await say(ADMIN, '/alerts remove 999')).shownText).toBe('There is no alert route #999 in this workspace; see them with /alerts routes.');
    expect((await say(ADMIN, '/alerts route discord:1')).shownText).toMatch(/^Alerts are routed to the chat you type in: \/alerts route here/);
  });
});

describe('Telegram: alerts show the position, and /trades csv answers with the file', () => {
  const CHAT = { id: -1005550003, type: 'supergroup' as const, title: 'Traders' };
  const WALLET = '0x00000000000000000000000000000000000000cc';
  const MEME = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
  const USDC = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
  const E18 = 10n ** 18n;
  let lookout: Awaited<ReturnType<typeof startTelegramLookout>>;
  const say = async (text: string, count = 1): Promise<SentMessage[]> => {
    const before = lookout.telegram.messages(CHAT.id).length;
    lookout.telegram.sendText(CHAT, ADMIN, text);
    return (await lookout.telegram.waitForMessages(CHAT.id, before + count, 15_000)).slice(before);
  };
  /** Stores a MEME-for-USDC trade of the wallet in its own block and queues its alert to the chat; resolves with the message. */
  const alertOf = async (block: number, meme: bigint, usdc: bigint, usd: string | null): Promise<SentMessage> => {
    const { db } = lookout.database;
    const place = { chain: 'base', blockNumber: BigInt(block), blockHash: `0xb${block}`, txHash: `0x${block.toString(16).padStart(64, '0')}`, txIndex: 0, blockTime: new Date(Date.UTC(2025, 0, block)) };
    const [trade] = await db
      .insert(trades)
      .values({ ...place, wallet: WALLET, kind: meme > 0n ? 'buy' : 'sell', baseAsset: MEME, baseAmount: meme < 0n ? -meme : meme, quoteAsset: USDC, quoteAmount: usdc < 0n ? -usdc : usdc, usdValue: usd })
      .returning({ id: trades.id });
    await db.insert(balanceChanges).values([
      { ...place, wallet: WALLET, asset: MEME, amount: meme },
      { ...place, wallet: WALLET, asset: USDC, amount: usdc },
    ]);
    const before = lookout.telegram.messages(CHAT.id).length;
    await db.insert(alertOutbox).values({ tradeId: trade!.id, workspaceId: `telegram:${CHAT.id}`, destination: `telegram:${CHAT.id}` });
    const [message] = (await lookout.telegram.waitForMessages(CHAT.id, before + 1, 20_000)).slice(before);
    return message!;
  };

  beforeAll(async () => {
    lookout = await startTelegramLookout();
    lookout.telegram.setMember(CHAT.id, ADMIN.id, 'administrator');
    expect((await say(`/track ${WALLET} desk base`))[0]!.shownText).toMatch(/Tracking desk/);
    expect((await say('/alerts route here'))[0]!.shownText).toMatch(/go to this chat/);
    await lookout.database.db.insert(tokens).values([
      { chain: 'base', address: MEME, symbol: 'MEME', decimals: 18 },
      { chain: 'base', address: USDC, symbol: 'USDC', decimals: 6, isStablecoin: true },
    ]);
  }, 60_000);
  afterAll(async () => lookout?.stop());

  it('behavior: a first buy, a second buy and a sale read as one headline each, with address, links, holding and realized PnL', { timeout: 60_000 }, async () => {
    const first = await alertOf(1, 2_000n * E18, -500_000_000n, '500');
    expect(first.shownText.split('\n')[0]).toBe('🟢 desk BUY 2,000 MEME for 500 USDC');
    expect(first.shownText).toContain(`🪙 MEME ${MEME}`);
    expect(first.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'code' })]));
    expect(first.shownText).toContain('💵 $500.00 · $0.25 per MEME');
    expect(first.shownText).toContain('💼 Holds 2,000 MEME ($500.00) · 🆕 first buy');
    expect(first.text).toContain(`<a href="https://dexscreener.com/base/${MEME}">DexScreener</a>`);
    expect(first.text).toContain(`<a href="https://basescan.org/token/${MEME}">token</a>`);
    expect(JSON.stringify(first.replyMarkup)).toContain(`pnl:${WALLET}`);

    const second = await alertOf(2, 1_000n * E18, -1_000_000_000n, '1000');
    expect(second.shownText).toContain('💼 Holds 3,000 MEME ($3,000.00)');
    expect(second.shownText).not.toContain('first buy');

    // FIFO: 1,500 MEME of the $0.25 lot sold for $900 realize +$525, half the position.
    const sale = await alertOf(3, -1_500n * E18, 900_000_000n, '900');
    expect(sale.shownText.split('\n')[0]).toBe('🔴 desk SELL 1,500 MEME for 900 USDC');
    expect(sale.shownText).toContain('📈 Realized +$525.00 (FIFO) · sold 50% of the position');
    expect(sale.shownText).toContain('💼 Holds 1,500 MEME ($900.00)');
  });

  it('behavior: /trades csv answers with a summary and the CSV as a document', { timeout: 60_000 }, async () => {
    const [summary, document] = await say('/trades csv', 2);
    expect(summary!.shownText).toMatch(/Trades CSV \(3\)/);
    expect(document!.method).toBe('sendDocument');
    expect(document!.document!.filename).toBe('lookout-trades.csv');
    const lines = document!.document!.bytes.toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/,sell,no,1500,MEME,900,USDC,900,0,ETH,,525\.00,0\.00,$/);
  });
});

import { PermissionFlagsBits } from 'discord.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertOutbox, balanceChanges, tokens, trades } from '../src/db/schema.js';
import type { InteractionReply } from './support/discord/interactionLog.js';
import { startDiscordLookout } from './support/inProcessLookout.js';

const GUILD = '920000000000000001';
const TRADES = '920000000000000010';
const LOCKED = '920000000000000011';
const ADMIN = { id: '820000000000000001', username: 'ada' };
const MEMBER = { id: '820000000000000002', username: 'bo' };
const MANAGE = String(PermissionFlagsBits.ManageGuild);

type Option = { name: string; value: string | number };

describe('Discord: /alerts holds the settings and the routes, and a channel that refuses alerts is paused', () => {
  let lookout: Awaited<ReturnType<typeof startDiscordLookout>>;
  const run = async (user: typeof ADMIN, subcommand: string, options: Option[] = []) => {
    const sent = await lookout.discord.sendInteraction({
      guildId: GUILD,
      channelId: TRADES,
      user,
      memberPermissions: user === ADMIN ? MANAGE : '0',
      commandName: 'alerts',
      subcommand,
      options,
    });
    const [reply] = await sent.replies(1, 15_000);
    return reply!;
  };
  const text = (reply: InteractionReply) => JSON.stringify(reply.data);

  beforeAll(async () => {
    lookout = await startDiscordLookout({ id: GUILD, channels: [{ id: TRADES, name: 'trades' }, { id: LOCKED, name: 'locked' }] });
  }, 60_000);
  afterAll(async () => lookout?.stop());

  it('behavior: the settings are subcommands of /alerts; members read them, only managers change them', async () => {
    expect(text(await run(ADMIN, 'min', [{ name: 'usd', value: 250 }]))).toMatch(/Minimum: \$250\.00/);
    expect(text(await run(ADMIN, 'types', [{ name: 'types', value: 'buy,sell' }]))).toMatch(/Types: buy, sell/);
    expect(text(await run(MEMBER, 'show'))).toMatch(/Alerts: on/);
    const refused = await run(MEMBER, 'off');
    expect(refused).toMatchObject({ kind: 'callback', ephemeral: true });
    expect(text(refused)).toMatch(/Manage Server permission/);
    expect(text(await run(ADMIN, 'off'))).toMatch(/Alerts: off/);
    expect(text(await run(ADMIN, 'on'))).toMatch(/Alerts: on/);
  });

  it('error: removing a route that does not exist says where to see them', async () => {
    const reply = await run(ADMIN, 'remove', [{ name: 'route', value: 99 }]);
    expect(reply).toMatchObject({ kind: 'callback', ephemeral: true });
    expect(String(reply.data?.['content'])).toBe('There is no alert route #99 in this workspace; see them with /alerts routes.');
  });

  it('error: /alerts webhook is for managers only, and refuses a loopback address in one sentence without echoing the secret', async () => {
    const options = [
      { name: 'url', value: 'http://127.0.0.1:9/hook' },
      { name: 'secret', value: 'a-secret-of-twenty-chars' },
    ];
    expect(text(await run(MEMBER, 'webhook', options))).toMatch(/Manage Server/);
    const refused = await run(ADMIN, 'webhook', options);
    expect(refused).toMatchObject({ kind: 'callback', ephemeral: true });
    expect(text(refused)).toMatch(/private|loopback/i);
    expect(text(refused)).not.toContain('a-secret-of-twenty-chars');
  });

  it('behavior: a channel the bot may not post in is paused, the admin is told, and routing it again delivers the alert', { timeout: 60_000 }, async () => {
    lookout.discord.denyChannel(LOCKED);
    expect(text(await run(ADMIN, 'route', [{ name: 'channel', value: LOCKED }]))).toMatch(new RegExp(`Alerts of all wallets go to <#${LOCKED}>`));
    const [trade] = await lookout.database.db
      .insert(trades)
      .values({ chain: 'base', blockNumber: 1n, blockHash: '0xb1', txHash: `0x${'ab'.repeat(32)}`, wallet: '0x00000000000000000000000000000000000000aa', kind: 'buy' })
      .returning({ id: trades.id });
    await lookout.database.db.insert(alertOutbox).values({ tradeId: trade!.id, workspaceId: `discord:${GUILD}`, destination: `discord:${LOCKED}` });
    const state = async () => (await lookout.database.db.select({ state: alertOutbox.state }).from(alertOutbox).where(eq(alertOutbox.tradeId, trade!.id)))[0]?.state;
    const deadline = Date.now() + 20_000;
    while ((await state()) !== 'paused' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await state()).toBe('paused');

    const listed = text(await run(ADMIN, 'list'));
    expect(listed).toMatch(/paused: the bot lacks permission to post there/);
    expect(listed).toMatch(new RegExp(`Alerts to <#${LOCKED}> are paused: the bot lacks permission to post there\\. Fix it, then run /alerts route`));
    // A member is not told: they cannot fix it.
    expect(text(await run(MEMBER, 'show'))).not.toMatch(/are paused/);

    lookout.discord.allowChannel(LOCKED);
    await run(ADMIN, 'route', [{ name: 'channel', value: LOCKED }]);
    const delivered = Date.now() + 20_000;
    while (lookout.discord.channelMessages(LOCKED).length === 0 && Date.now() < delivered) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lookout.discord.channelMessages(LOCKED)).toHaveLength(1);
    // Note: the row is marked sent in its own commit just after Discord answered; the message may be seen first.
    while ((await state()) !== 'sent' && Date.now() < delivered) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await state()).toBe('sent');
    expect(text(await run(ADMIN, 'list'))).not.toMatch(/are paused/);
  });
});

describe('Discord: alerts show the position; /trade records trades made off chain; /trades csv attaches the export', () => {
  const GUILD2 = '920000000000000002';
  const CHANNEL = '920000000000000020';
  const WALLET = '0x00000000000000000000000000000000000000bb';
  const MEME = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
  const USDC = '0x833589fcd6edb6e08f4c7c32d4f71b54bda02913';
  let lookout: Awaited<ReturnType<typeof startDiscordLookout>>;
  const command = async (user: typeof ADMIN, commandName: string, options: { name: string; value: string | number | boolean }[], subcommand?: string, replies = 1) => {
    const sent = await lookout.discord.sendInteraction({
      guildId: GUILD2,
      channelId: CHANNEL,
      user,
      memberPermissions: user === ADMIN ? MANAGE : '0',
      commandName,
      ...(subcommand ? { subcommand } : {}),
      options,
    });
    return sent.replies(replies, 20_000);
  };
  const text = (reply: InteractionReply | undefined) => JSON.stringify(reply?.data);

  beforeAll(async () => {
    lookout = await startDiscordLookout({ id: GUILD2, channels: [{ id: CHANNEL, name: 'desk' }] });
    const [tracked] = await command(ADMIN, 'track', [{ name: 'address', value: WALLET }, { name: 'label', value: 'desk' }, { name: 'chain', value: 'base' }]);
    expect(text(tracked)).toMatch(/Tracking \*\*desk\*\*/);
  }, 60_000);
  afterAll(async () => lookout?.stop());

  it('behavior: a first buy arrives with one headline, the token address as inline code, the DexScreener link and the holding after it', { timeout: 60_000 }, async () => {
    await command(ADMIN, 'alerts', [{ name: 'channel', value: CHANNEL }], 'route');
    const { db } = lookout.database;
    await db.insert(tokens).values([
      { chain: 'base', address: MEME, symbol: 'MEME', decimals: 18 },
      { chain: 'base', address: USDC, symbol: 'USDC', decimals: 6, isStablecoin: true },
    ]).onConflictDoNothing();
    const place = { chain: 'base', blockNumber: 5n, blockHash: '0xb5', txHash: `0x${'cd'.repeat(32)}`, txIndex: 0 };
    const [trade] = await db
      .insert(trades)
      .values({ ...place, wallet: WALLET, kind: 'buy', baseAsset: MEME, baseAmount: 2_000n * 10n ** 18n, quoteAsset: USDC, quoteAmount: 500_000_000n, usdValue: '500' })
      .returning({ id: trades.id });
    await db.insert(balanceChanges).values([
      { ...place, wallet: WALLET, asset: MEME, amount: 2_000n * 10n ** 18n },
      { ...place, wallet: WALLET, asset: USDC, amount: -500_000_000n },
    ]);
    await db.insert(alertOutbox).values({ tradeId: trade!.id, workspaceId: `discord:${GUILD2}`, destination: `discord:${CHANNEL}` });
    const deadline = Date.now() + 20_000;
    while (lookout.discord.channelMessages(CHANNEL).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const [embed] = lookout.discord.channelMessages(CHANNEL)[0]!.embeds;
    expect(embed!.title).toBe('🟢 desk BUY 2,000 MEME for 500 USDC');
    expect(embed!.description).toContain(`🪙 MEME \`${MEME}\``);
    expect(embed!.description).toContain('🆕 First buy');
    expect(embed!.description).toContain(`[DexScreener](https://dexscreener.com/base/${MEME})`);
    expect(embed!.description).toContain(`[token](https://basescan.org/token/${MEME})`);
    expect(embed!.fields).toEqual(
      expect.arrayContaining([
        { name: 'USD', value: '$500.00', inline: true },
        { name: 'Price', value: '$0.25 per MEME', inline: true },
        { name: 'Holding after', value: 'Holds 2,000 MEME ($500.00)', inline: true },
      ]),
    );
  });

  it('behavior: /trade add records manual trades (admins only), and /pnl counts them: buy 2 @10, sell 1 @15 realize +$5', { timeout: 60_000 }, async () => {
    const add = (user: typeof ADMIN, side: string, amount: string, total: string, at: string) =>
      command(
        user,
        'trade',
        [
          { name: 'side', value: side },
          { name: 'amount', value: amount },
          { name: 'token', value: 'ETH' },
          { name: 'for', value: total },
          { name: 'at', value: at },
          { name: 'wallet', value: 'desk' },
          { name: 'note', value: 'otc with Bob' },
        ],
        'add',
      );
    const refused = await add(MEMBER, 'buy', '2', '20 USD', '2024-01-01T00:00:00Z');
    expect(refused[0]).toMatchObject({ kind: 'callback', ephemeral: true });
    expect(text(refused[0])).toMatch(/Manage Server/);
    expect(text((await add(ADMIN, 'buy', '2', '20 USD', '2024-01-01T00:00:00Z'))[0])).toMatch(/#\d+: BUY 2 ETH for 20 USD on desk \[base\]/);
    expect(text((await add(ADMIN, 'sell', '1', '15 USD', '2024-01-02T00:00:00Z'))[0])).toMatch(/#\d+: SELL 1 ETH for 15 USD/);
    const [, pnl] = await command(MEMBER, 'pnl', [{ name: 'target', value: 'desk' }, { name: 'window', value: 'all' }], undefined, 2);
    expect(text(pnl)).toMatch(/Realized[^"]*\+\$5\.00/);

    const [wrong] = await command(ADMIN, 'trade', [{ name: 'id', value: 999 }], 'remove');
    expect(wrong).toMatchObject({ kind: 'callback', ephemeral: true });
  });

  it('behavior: /trades csv:true defers, then answers with the CSV as an attachment, realized PnL per sale included', { timeout: 60_000 }, async () => {
    const [deferred, edit] = await command(MEMBER, 'trades', [{ name: 'csv', value: true }], undefined, 2);
    expect(deferred).toMatchObject({ kind: 'callback', type: 5 });
    expect(edit!.kind).toBe('edit');
    expect(text(edit)).toMatch(/Trades CSV \(3\)/);
    const file = edit!.files.find((candidate) => candidate.filename === 'lookout-trades.csv')!;
    const lines = file.bytes.toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('date,chain,tx,wallet,kind,manual,amount,symbol,quote_amount,quote_symbol,usd_value,fee,fee_symbol,fee_usd,realized_pnl_usd,unknown_cost_proceeds_usd,note');
    expect(lines).toHaveLength(4);
    expect(lines.find((line) => line.includes(',sell,yes,'))).toMatch(/,sell,yes,1,ETH,15,USD,15,.*,5\.00,0\.00,otc with Bob$/);
  });
});

import { PermissionFlagsBits } from 'discord.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertOutbox, trades } from '../src/db/schema.js';
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
    expect(await state()).toBe('sent');
    expect(text(await run(ADMIN, 'list'))).not.toMatch(/are paused/);
  });
});

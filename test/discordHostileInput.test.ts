import { ActionRowBuilder, ButtonBuilder, ButtonStyle, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionReply } from './support/discord/interactionLog.js';
import { startDiscordLookout } from './support/inProcessLookout.js';

const GUILD = '910000000000000001';
const CHANNEL = '910000000000000010';
const ADMIN = { id: '810000000000000001', username: 'ada' };
const MEMBER = { id: '810000000000000002', username: 'bo' };
const MANAGE = String(PermissionFlagsBits.ManageGuild);

type Option = { name: string; value: string | number; focused?: boolean };

describe('Discord: hostile and careless input through the real discord.js client', () => {
  let lookout: Awaited<ReturnType<typeof startDiscordLookout>>;
  const run = async (user: typeof ADMIN, commandName: string, options: Option[], extra: { subcommand?: string; type?: 2 | 4; replies?: number } = {}) => {
    const sent = await lookout.discord.sendInteraction({
      guildId: GUILD,
      channelId: CHANNEL,
      user,
      memberPermissions: user === ADMIN ? MANAGE : '0',
      commandName,
      options,
      ...(extra.subcommand ? { subcommand: extra.subcommand } : {}),
      ...(extra.type ? { type: extra.type } : {}),
    });
    return sent.replies(extra.replies ?? 1, 15_000);
  };
  const content = (reply: InteractionReply | undefined) => String(reply?.data?.['content'] ?? '');
  const privateAnswer = (replies: InteractionReply[]) => replies.find((reply) => (reply.kind === 'followUp' || reply.kind === 'callback') && reply.ephemeral && content(reply) !== '');

  beforeAll(async () => {
    lookout = await startDiscordLookout({ id: GUILD, channels: [{ id: CHANNEL, name: 'trades' }] });
  }, 60_000);
  afterAll(async () => lookout?.stop());

  it('error: a 2,100-character option gets a short private answer, from /pnl (deferred) and from /untrack (3)', async () => {
    const pnl = await run(MEMBER, 'pnl', [{ name: 'target', value: 'x'.repeat(2100) }], { replies: 3 });
    expect(pnl.map((reply) => reply.kind)).toEqual(['callback', 'delete', 'followUp']);
    const answer = privateAnswer(pnl)!;
    expect(content(answer)).toMatch(/^No wallet 'x+…' is tracked/);
    expect([...content(answer)].length).toBeLessThanOrEqual(2000);
    const untrack = await run(ADMIN, 'untrack', [{ name: 'wallet', value: 'y'.repeat(2100) }]);
    expect(untrack[0]).toMatchObject({ kind: 'callback', ephemeral: true });
    expect(content(untrack[0])).toMatch(/^No wallet 'y+…' is tracked/);
  });

  it('error: mentions and masked links typed by a member are echoed privately, escaped, pinging no one (4)', async () => {
    for (const target of ['@everyone', '<@123456789012345678>', '[Claim your airdrop](https://evil.example/claim)']) {
      const replies = await run(MEMBER, 'pnl', [{ name: 'target', value: target }], { replies: 3 });
      const answer = privateAnswer(replies)!;
      expect(answer).toBeDefined();
      expect(answer.data?.['allowed_mentions']).toMatchObject({ parse: [] });
      expect(content(answer)).not.toContain(target);
      expect(replies.some((reply) => reply.kind === 'edit')).toBe(false);
    }
  });

  it('error: a NUL in an option is refused before any query, and autocomplete with one answers an empty list (5)', async () => {
    const [refused] = await run(MEMBER, 'trades', [{ name: 'target', value: 'a\u0000b' }]);
    expect(refused).toMatchObject({ kind: 'callback', ephemeral: true });
    expect(content(refused)).toMatch(/invisible control character \(U\+0000\)/);
    const [choices] = await run(MEMBER, 'pnl', [{ name: 'target', value: 'a\u0000b', focused: true }], { type: 4 });
    expect(choices!.data).toMatchObject({ choices: [] });
  });

  it('error: min_usd 1e21 is a too-large amount (10)', async () => {
    const [reply] = await run(ADMIN, 'alerts', [{ name: 'channel', value: CHANNEL }, { name: 'min_usd', value: 1e21 }], { subcommand: 'route' });
    expect(content(reply)).toMatch(/'1e\+21' is too large an amount/);
  });

  it('behavior: deleting a group that has a route names the channel whose route went with it (10)', async () => {
    await run(ADMIN, 'group', [{ name: 'name', value: 'whales' }], { subcommand: 'create' });
    const [routed] = await run(ADMIN, 'alerts', [{ name: 'channel', value: CHANNEL }, { name: 'group', value: 'whales' }], { subcommand: 'route' });
    expect(JSON.stringify(routed!.data)).toMatch(/Alerts of group whales go to/);
    const [deleted] = await run(ADMIN, 'group', [{ name: 'name', value: 'whales' }], { subcommand: 'delete' });
    expect(JSON.stringify(deleted!.data)).toMatch(new RegExp(`Its alert route went with it: #\\d+ to <#${CHANNEL}>\\.`));
  });

  it('behavior: a button Lookout does not know is answered privately; a PnL button error is private too (9, 4)', async () => {
    // An older message's buttons, as a previous version of Lookout might have left them.
    const channel = await lookout.service.client.channels.fetch(CHANNEL);
    if (!channel?.isSendable()) throw new Error('the test channel cannot take messages');
    await channel.send({
      content: 'old alert',
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId('mystery').setLabel('?').setStyle(ButtonStyle.Secondary),
        new ButtonBuilder().setCustomId('pnl:@everyone').setLabel('PnL').setStyle(ButtonStyle.Secondary),
      )],
    });
    const unknown = await lookout.discord.sendInteraction({ guildId: GUILD, channelId: CHANNEL, user: MEMBER, type: 3, customId: 'mystery' });
    const [answer] = await unknown.replies(1, 15_000);
    expect(answer).toMatchObject({ kind: 'callback', ephemeral: true });
    expect(content(answer)).toMatch(/no longer in use/);
    const pnl = await lookout.discord.sendInteraction({ guildId: GUILD, channelId: CHANNEL, user: MEMBER, type: 3, customId: 'pnl:@everyone' });
    const replies = await pnl.replies(3, 15_000);
    expect(replies.map((reply) => reply.kind)).toEqual(['callback', 'delete', 'followUp']);
    expect(privateAnswer(replies)).toBeDefined();
    expect(content(privateAnswer(replies))).toContain('@\u200beveryone');
  });
});

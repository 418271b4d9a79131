import { eq } from 'drizzle-orm';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, PermissionFlagsBits } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CHAT_COMMANDS } from '../src/bot/chatCommands.js';
import { addToGroup, createGroup, listGroups } from '../src/db/groupQueries.js';
import { auditLog } from '../src/db/schema.js';
import { listWallets, trackWallet } from '../src/db/walletQueries.js';
import { ensureWorkspace } from '../src/db/workspaceQueries.js';
import { getWorkspaceSettings } from '../src/db/workspaceSettings.js';
import type { Db } from '../src/db/openDatabase.js';
import type { InteractionReply } from './support/discord/interactionLog.js';
import { createRandom, fuzzArgs, fuzzSeed, fuzzWord } from './support/fuzzInput.js';
import { startDiscordLookout, startTelegramLookout } from './support/inProcessLookout.js';

// Note: the CI form; LOOKOUT_FUZZ_RUNS raises it for a longer hunt, LOOKOUT_FUZZ_SEED replays a failure.
const RUNS = Number(process.env.LOOKOUT_FUZZ_RUNS ?? 2000);
// Discord interactions take about three times as long as Telegram commands through the local servers.
const DISCORD_RUNS = Math.ceil(RUNS / 2);
const SEED = fuzzSeed();
const INTERNAL = /went wrong on our side|^\s+at \S|TypeError|ReferenceError|PostgresError|invalid byte sequence/m;
const NO_LIMITS = { LOOKOUT_COMMANDS_PER_MINUTE: '1000000', LOOKOUT_CHARTS_PER_MINUTE: '1000000' };

console.log(`chat fuzz: seed ${SEED}, ${RUNS} Telegram commands and ${DISCORD_RUNS} Discord interactions; replay with LOOKOUT_FUZZ_SEED=${SEED}`);

/** What a workspace holds, to show that another workspace's commands left it alone. */
async function snapshot(db: Db, workspaceId: string): Promise<string> {
  const audit = await db.select().from(auditLog).where(eq(auditLog.workspaceId, workspaceId));
  return JSON.stringify({
    wallets: (await listWallets(db, workspaceId)).map(({ id: _id, addedAt: _at, ...wallet }) => wallet),
    groups: (await listGroups(db, workspaceId)).map(({ id: _id, createdAt: _at, ...group }) => group),
    settings: await getWorkspaceSettings(db, workspaceId),
    audit: audit.length,
  });
}

describe(`chat fuzz (seed ${SEED})`, () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it(`behavior: ${RUNS} generated Telegram commands: no crash, no internal error, valid HTML within limits, no effect on another chat, none by a member`, { timeout: 60_000 + RUNS * 60 }, async () => {
    const random = createRandom(SEED);
    const lookout = await startTelegramLookout(NO_LIMITS);
    stops.push(() => lookout.stop());
    const { telegram } = lookout;
    const groupA = { id: -1006660001, type: 'supergroup' as const, title: 'Fuzz A' };
    const groupB = { id: -1006660002, type: 'supergroup' as const, title: 'Fuzz B' };
    const admin = { id: 51, first_name: 'Ada' };
    const member = { id: 52, first_name: 'Bo' };
    const solo = { id: 53, first_name: 'Cy' };
    const privateChat = { id: 53, type: 'private' as const };
    for (const chat of [groupA, groupB]) {
      telegram.setMember(chat.id, admin.id, 'administrator');
      telegram.setMember(chat.id, member.id, 'member');
    }
    for (const text of ['/track 0x0000000000000000000000000000000000000001 whale base', '/group new whales', '/group add whales whale', '/alerts min 500']) {
      telegram.sendText(groupB, admin, text);
    }
    await telegram.waitForMessages(groupB.id, 4, 15_000);
    const before = await snapshot(lookout.database.db, `telegram:${groupB.id}`);

    const names = CHAT_COMMANDS.map((command) => command.name);
    const started = Date.now();
    const batch = 50;
    let presses = 0;
    for (let sent = 0; sent < RUNS; sent += batch) {
      const expected = new Map<number, number>();
      for (let i = sent; i < Math.min(RUNS, sent + batch); i++) {
        const [chat, from] = random.pick([[groupA, admin], [groupA, member], [privateChat, solo]] as const);
        const last = telegram.messages(groupA.id).at(-1);
        if (last && random.chance(0.05)) {
          // A button press with data Lookout made (pnl:) or never made; callback data holds at most 64 bytes.
          const pnl = random.chance(0.5);
          const data = `${pnl ? 'pnl:' : ''}${[...fuzzWord(random)].slice(0, 20).join('')}` || 'x';
          telegram.pressButton(groupA, from, last.messageId, data);
          presses++;
          if (pnl) expected.set(groupA.id, (expected.get(groupA.id) ?? telegram.messages(groupA.id).length) + 1);
          continue;
        }
        const text = `/${random.pick(names)}${random.chance(0.9) ? ` ${fuzzArgs(random)}` : ''}`;
        expected.set(chat.id, (expected.get(chat.id) ?? telegram.messages(chat.id).length) + 1);
        telegram.sendText(chat, from, text);
      }
      for (const [chatId, count] of expected) await telegram.waitForMessages(chatId, count, 30_000);
    }
    // Every button press is answered, whatever its data.
    await telegram.waitForCalls('answerCallbackQuery', presses, 30_000);
    expect(telegram.callbackAnswers()).toHaveLength(presses);
    const elapsed = Date.now() - started;
    console.log(`chat fuzz: telegram ${RUNS} commands in ${elapsed} ms`);

    const refused = telegram.callLog.filter((call) => call.status >= 400);
    expect(refused.map((call) => `${call.method} ${call.status} ${call.description}`)).toEqual([]);
    for (const message of telegram.messages()) {
      expect([...message.shownText].length).toBeLessThanOrEqual(4096);
      expect(message.shownText).not.toMatch(INTERNAL);
      expect(message.shownText).not.toContain(telegram.token);
    }
    expect(lookout.logs.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
    expect(await snapshot(lookout.database.db, `telegram:${groupB.id}`)).toBe(before);
    const actors = await lookout.database.db.select({ actor: auditLog.actor }).from(auditLog);
    expect(actors.filter((row) => row.actor === `telegram:${member.id}`)).toEqual([]);
  });

  it(`behavior: ${DISCORD_RUNS} generated Discord interactions: every one answered within limits, errors private, no pings, no effect on another server`, { timeout: 60_000 + RUNS * 60 }, async () => {
    const random = createRandom(SEED + 1);
    const guildA = { id: '920000000000000001', channels: [{ id: '920000000000000010', name: 'trades' }] };
    const guildB = '920000000000000002';
    const lookout = await startDiscordLookout(guildA, NO_LIMITS);
    stops.push(() => lookout.stop());
    const { discord } = lookout;
    // Another server's workspace with wallets, a group and settings, which nothing in guild A may touch.
    const other = await ensureWorkspace(lookout.database.db, { id: `discord:${guildB}`, platform: 'discord', externalId: guildB }, 'Other');
    const who = { workspaceId: other, actor: 'discord:1' };
    await trackWallet(lookout.database.db, { ...who, address: '0x0000000000000000000000000000000000000001', chains: ['base'], label: 'whale' });
    await createGroup(lookout.database.db, { ...who, name: 'whales' });
    await addToGroup(lookout.database.db, { ...who, name: 'whales', refs: ['whale'] });
    const admin = { id: '820000000000000001', username: 'ada' };
    const member = { id: '820000000000000002', username: 'bo' };
    const manage = String(PermissionFlagsBits.ManageGuild);
    const before = await snapshot(lookout.database.db, `discord:${guildB}`);

    const channel = guildA.channels[0]!.id;
    const str = (name: string) => ({ name, value: fuzzWord(random) });
    const shapes: (() => { commandName: string; subcommand?: string; options: { name: string; value: string | number; focused?: boolean }[] })[] = [
      () => ({ commandName: 'track', options: [{ name: 'address', value: fuzzWord(random) }, ...(random.chance(0.5) ? [str('label')] : [])] }),
      () => ({ commandName: 'untrack', options: [str('wallet')] }),
      () => ({ commandName: 'wallets', options: [] }),
      () => ({ commandName: 'group', subcommand: 'create', options: [str('name')] }),
      () => ({ commandName: 'group', subcommand: 'delete', options: [str('name')] }),
      () => ({ commandName: 'group', subcommand: random.pick(['add', 'remove']), options: [str('group'), str('wallet')] }),
      () => ({ commandName: 'group', subcommand: 'list', options: [] }),
      () => ({ commandName: 'pnl', options: random.chance(0.8) ? [str('target')] : [] }),
      () => ({ commandName: 'trades', options: random.chance(0.8) ? [str('target')] : [] }),
      () => ({
        commandName: 'alerts',
        subcommand: 'route',
        options: [
          { name: 'channel', value: channel },
          ...(random.chance(0.5) ? [str('group')] : []),
          ...(random.chance(0.5) ? [{ name: 'min_usd', value: random.pick([0, 1, 0.5, 1e21, 123456.789, 1e-7]) }] : []),
          ...(random.chance(0.5) ? [str('types')] : []),
        ],
      }),
      () => ({ commandName: 'alerts', subcommand: 'remove', options: [{ name: 'route', value: 1 + random.int(5) }] }),
      () => ({ commandName: random.pick(['pnl', 'trades']), options: [{ name: 'target', value: fuzzWord(random), focused: true }] }),
    ];

    // Buttons of an alert, and of messages an older Lookout may have left behind.
    const buttons = ['pnl:whale', 'pnl:@everyone', 'pnl:0x0000000000000000000000000000000000000001', 'mystery', 'pnl:'];
    const target = await lookout.service.client.channels.fetch(channel);
    if (!target?.isSendable()) throw new Error('the fuzz channel cannot take messages');
    const buttonMessage = await target.send({
      content: 'buttons',
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(
        ...buttons.map((customId) => new ButtonBuilder().setCustomId(customId).setLabel(customId.slice(0, 20) || '?').setStyle(ButtonStyle.Secondary)),
      )],
    });
    const started = Date.now();
    const problems: string[] = [];
    const concurrency = 8;
    const runOne = async () => {
      const shape = random.pick(shapes)();
      const user = random.pick([admin, member]);
      const autocomplete = shape.options.some((option) => option.focused);
      const base = { guildId: guildA.id, channelId: channel, user, memberPermissions: user === admin ? manage : '0' };
      const sent = random.chance(0.05)
        ? await discord.sendInteraction({ ...base, type: 3, customId: random.pick(buttons), messageId: buttonMessage.id })
        : await discord.sendInteraction({
            ...base,
            commandName: shape.commandName,
            options: shape.options,
            ...(shape.subcommand ? { subcommand: shape.subcommand } : {}),
            ...(autocomplete ? { type: 4 as const } : {}),
          });
      let replies = await sent.replies(1, 30_000);
      const final = (reply: InteractionReply) => reply.kind === 'edit' || reply.kind === 'followUp' || (reply.kind === 'callback' && reply.type !== 5);
      while (!replies.some(final)) replies = await sent.replies(replies.length + 1, 30_000);
      for (const reply of replies) {
        const content = String(reply.data?.['content'] ?? '');
        const text = `${content} ${JSON.stringify(reply.data?.['embeds'] ?? '')}`;
        if (INTERNAL.test(text)) problems.push(`internal error text for ${JSON.stringify(shape)}: ${text.slice(0, 200)}`);
        if (/@everyone|@here|<@\d/.test(text)) problems.push(`a live mention in a reply to ${JSON.stringify(shape).slice(0, 200)}`);
        if (content && reply.kind !== 'delete' && !('ephemeral' in reply && reply.ephemeral)) problems.push(`a public error reply: ${content.slice(0, 200)}`);
        const mentions = reply.data?.['allowed_mentions'] as { parse?: unknown[] } | undefined;
        const deferral = reply.kind === 'callback' && reply.type === 5;
        if (reply.kind !== 'delete' && !deferral && !autocomplete && reply.data && (!mentions || (mentions.parse ?? []).length > 0)) problems.push(`a reply without allowed_mentions: ${JSON.stringify(shape).slice(0, 200)}`);
      }
    };
    for (let done = 0; done < DISCORD_RUNS; done += concurrency) {
      await Promise.all(Array.from({ length: Math.min(concurrency, DISCORD_RUNS - done) }, runOne));
    }
    console.log(`chat fuzz: discord ${DISCORD_RUNS} interactions in ${Date.now() - started} ms`);

    expect(problems.slice(0, 10)).toEqual([]);
    expect(discord.requests.filter((request) => request.status >= 400).map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([]);
    expect(lookout.logs.filter((line) => /"level":(40|50|60)/.test(line) && !/remove a deferred reply/.test(line))).toEqual([]);
    expect(await snapshot(lookout.database.db, `discord:${guildB}`)).toBe(before);
    const actors = await lookout.database.db.select({ actor: auditLog.actor }).from(auditLog);
    expect(actors.filter((row) => row.actor === `discord:${member.id}`)).toEqual([]);
  });
});


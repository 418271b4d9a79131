import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAlertRoute } from '../src/db/alertRouteQueries.js';
import { auditLog, groups } from '../src/db/schema.js';
import { startTelegramLookout } from './support/inProcessLookout.js';
import { parseTelegramHtml } from './support/telegram/parseTelegramHtml.js';
import type { SentMessage } from './support/telegram/telegramTraffic.js';

const GROUP = { id: -1005550001, type: 'supergroup' as const, title: 'Hostile' };
const ADMIN = { id: 31, first_name: 'Ada' };
const MEMBER = { id: 32, first_name: 'Bo' };
const INTERNAL = /went wrong on our side/;

describe('Telegram: hostile and careless input through the real grammY client', () => {
  let lookout: Awaited<ReturnType<typeof startTelegramLookout>>;
  const say = async (from: typeof ADMIN, text: string, chat: { id: number; type: 'supergroup' | 'private'; title?: string } = GROUP): Promise<SentMessage> => {
    const before = lookout.telegram.messages(chat.id).length;
    lookout.telegram.sendText(chat, from, text);
    const [reply] = (await lookout.telegram.waitForMessages(chat.id, before + 1, 15_000)).slice(before);
    return reply!;
  };
  const fits = (message: SentMessage) => {
    expect([...message.shownText].length).toBeLessThanOrEqual(4096);
    if (message.parseMode === 'HTML') expect(() => parseTelegramHtml(message.text ?? '')).not.toThrow();
  };

  beforeAll(async () => {
    lookout = await startTelegramLookout({ LOOKOUT_MAX_WALLETS: '2', LOOKOUT_MAX_GROUPS: '3' });
    lookout.telegram.setMember(GROUP.id, ADMIN.id, 'administrator');
    lookout.telegram.setMember(GROUP.id, MEMBER.id, 'member');
  }, 60_000);
  afterAll(async () => lookout?.stop());

  it('error: /group delete with a 2,100-character name gets a short answer Telegram accepts (1)', async () => {
    const reply = await say(ADMIN, `/group delete ${'g'.repeat(2100)}`);
    fits(reply);
    expect(reply.shownText).toMatch(/^There is no group 'g+…'\.$/);
    expect(reply.shownText.length).toBeLessThan(200);
  });

  it('error: /track with 40 emoji is answered with whole emoji, not half a surrogate pair (2)', async () => {
    const reply = await say(ADMIN, `/track ${'🐋'.repeat(40)}`);
    fits(reply);
    expect(reply.shownText).toMatch(/is not a wallet address/);
  });

  it('error: a NUL in an argument is refused in one sentence before any query (5)', async () => {
    const reply = await say(MEMBER, '/pnl a\u0000b');
    expect(reply.shownText).toBe('Your text contains an invisible control character (U+0000); type it again without it.');
  });

  it('error: /alerts min 1e21 is a too-large amount (10)', async () => {
    const reply = await say(ADMIN, '/alerts min 1e21');
    expect(reply.shownText).toMatch(/'1e21' is too large an amount/);
  });

  it('behavior: a demoted admin loses admin rights at once through the chat_member update (8)', async () => {
    expect((await say(ADMIN, '/group new first')).shownText).toMatch(/Created group first/);
    lookout.telegram.setMember(GROUP.id, ADMIN.id, 'member');
    lookout.telegram.pushUpdate({
      chat_member: {
        chat: { id: GROUP.id, type: 'supergroup', title: GROUP.title },
        from: { id: 99, is_bot: false, first_name: 'Owner' },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'administrator', user: { id: ADMIN.id, is_bot: false, first_name: 'Ada' } },
        new_chat_member: { status: 'member', user: { id: ADMIN.id, is_bot: false, first_name: 'Ada' } },
      },
    } as never);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await say(ADMIN, '/group new second')).shownText).toMatch(/Only this chat’s administrators/);
    lookout.telegram.setMember(GROUP.id, ADMIN.id, 'administrator');
    lookout.telegram.pushUpdate({
      chat_member: {
        chat: { id: GROUP.id, type: 'supergroup', title: GROUP.title },
        from: { id: 99, is_bot: false, first_name: 'Owner' },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { status: 'member', user: { id: ADMIN.id, is_bot: false, first_name: 'Ada' } },
        new_chat_member: { status: 'administrator', user: { id: ADMIN.id, is_bot: false, first_name: 'Ada' } } as never,
      },
    } as never);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await say(ADMIN, '/group new second')).shownText).toMatch(/Created group second/);
  });

  it('behavior: a button with unknown data and one without a message are both answered, with nothing in the error log (9)', async () => {
    const menu = await say(MEMBER, '/help');
    const unknown = lookout.telegram.pressButton(GROUP, MEMBER, menu.messageId, 'nonsense:1');
    const inline = lookout.telegram.pressInlineButton(MEMBER, 'inline-1', 'pnl:0x0000000000000000000000000000000000000001');
    await lookout.telegram.waitForCalls('answerCallbackQuery', 2, 10_000);
    const answered = lookout.telegram.callbackAnswers().map((answer) => answer.callbackQueryId);
    expect(answered).toEqual(expect.arrayContaining([unknown, inline]));
    expect(lookout.logs.filter((line) => /"level":50/.test(line))).toEqual([]);
  });

  it('behavior: /group delete of a group with an alert route says the route went with it (10)', async () => {
    expect((await say(ADMIN, '/group new routed')).shownText).toMatch(/Created group routed/);
    const [group] = await lookout.database.db.select().from(groups).where(eq(groups.name, 'routed'));
    const route = await saveAlertRoute(lookout.database.db, {
      workspaceId: `telegram:${GROUP.id}`,
      actor: 'test',
      destination: `telegram:${GROUP.id}`,
      groupId: group!.id,
      minUsd: null,
      types: null,
    });
    const reply = await say(ADMIN, '/group delete routed');
    expect(reply.shownText).toContain(`Deleted group routed; its wallets are still tracked. Its alert route went with it: #${route.id} to telegram:${GROUP.id}.`);
  });

  it('behavior: a command posted in a channel is audited with the channel as actor, not telegram:0 (10)', async () => {
    const channel = { id: -1005550099, type: 'channel' as const, title: 'News' };
    const before = lookout.telegram.messages(channel.id).length;
    lookout.telegram.pushUpdate({
      channel_post: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: channel,
        sender_chat: channel,
        text: '/group new news',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    } as never);
    await lookout.telegram.waitForMessages(channel.id, before + 1, 15_000);
    const [entry] = await lookout.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.workspaceId, `telegram:${channel.id}`))
      .orderBy(desc(auditLog.id));
    expect(entry).toMatchObject({ action: 'group_create', actor: `telegram:chat:${channel.id}` });
  });

  it('error: wallets and groups per workspace are limited, with one sentence saying so (11)', async () => {
    const chat = { id: 41, type: 'private' as const };
    const person = { id: 41, first_name: 'Cy' };
    expect((await say(person, '/track 0x0000000000000000000000000000000000000001 one', chat)).shownText).toMatch(/Tracking one/);
    expect((await say(person, '/track 0x0000000000000000000000000000000000000002 two', chat)).shownText).toMatch(/Tracking two/);
    expect((await say(person, '/track 0x0000000000000000000000000000000000000003 three', chat)).shownText).toBe(
      'This workspace already tracks 2 wallets, the most allowed; untrack one before tracking another.',
    );
    for (const name of ['a', 'b', 'c']) expect((await say(person, `/group new ${name}`, chat)).shownText).toMatch(/Created group/);
    expect((await say(person, '/group new d', chat)).shownText).toMatch(/already has 3 groups, the most allowed/);
  });

  it('error: a member over the command limit gets one sentence, once, not a reply per command (11)', async () => {
    const chat = { id: 42, type: 'private' as const };
    const person = { id: 42, first_name: 'Di' };
    for (let i = 0; i < 40; i++) lookout.telegram.sendText(chat, person, '/wallets');
    await lookout.telegram.waitForMessages(chat.id, 21, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const replies = lookout.telegram.messages(chat.id);
    expect(replies).toHaveLength(21);
    expect(replies.filter((reply) => /commands in a minute, the most allowed/.test(reply.shownText))).toHaveLength(1);
    expect(replies.some((reply) => INTERNAL.test(reply.shownText))).toBe(false);
  });

  it('error: a reply Telegram refuses is logged, and the person still gets a short answer', async () => {
    const chat = { id: 43, type: 'private' as const };
    const person = { id: 43, first_name: 'Ed' };
    lookout.telegram.failNext('sendMessage', 1, { error_code: 400, description: "Bad Request: can't parse entities" });
    const reply = await say(person, '/wallets', chat);
    expect(reply.shownText).toMatch(/^Telegram refused that answer, so here is a short one/);
    expect(lookout.logs.some((line) => line.includes('telegram refused a reply'))).toBe(true);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createCanvas } from '@napi-rs/canvas';
import { Bot, GrammyError, HttpError, InlineKeyboard, InputFile, webhookCallback, type Context } from 'grammy';
import { afterEach, describe, expect, test } from 'vitest';

import type { TestChat, TestUser } from './chatDirectory.js';
import { startTelegramServer, type TelegramServer } from './startTelegramServer.js';

const group: TestChat = { id: -4_100_200_300, type: 'group', title: 'Whale watchers' };
const supergroup: TestChat = { id: -1_001_234_567_890, type: 'supergroup', title: 'Degens' };
const alice: TestUser = { id: 5_001, first_name: 'Alice', username: 'alice' };
const bob: TestUser = { id: 5_002, first_name: 'Bob' };
const alicePrivate: TestChat = { id: alice.id, type: 'private' };

type Running = { server: TelegramServer; bot: Bot; errors: unknown[]; done: Promise<void> };

const running: Running[] = [];

afterEach(async () => {
  for (const { server, bot, done } of running.splice(0)) {
    if (bot.isRunning()) await bot.stop();
    await done;
    await server.stop();
  }
});

/** A real grammY bot, long-polling the test server, with `setup` registering its handlers. */
async function startBot(setup: (bot: Bot) => void = () => undefined): Promise<Running> {
  const server = await startTelegramServer();
  const bot = new Bot(server.token, { client: { apiRoot: server.apiRoot } });
  const errors: unknown[] = [];
  bot.catch((error) => void errors.push(error.error));
  setup(bot);
  let started!: () => void;
  const polling = new Promise<void>((resolve) => (started = resolve));
  const done = bot.start({ onStart: () => started(), timeout: 30 });
  await polling;
  const handle = { server, bot, errors, done };
  running.push(handle);
  return handle;
}

function pngOf(width: number, height: number): Buffer {
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#16a34a';
  context.fillRect(0, 0, width, height);
  return canvas.toBuffer('image/png');
}

describe('startTelegramServer', () => {
  test('behavior: bot.start initialises, long-polls, and a /start in a group gets an HTML reply', async () => {
    const { server } = await startBot((bot) => bot.command('start', (ctx) => ctx.reply('<b>hi</b>', { parse_mode: 'HTML' })));

    expect(server.calls['getMe']).toBe(1);
    expect(server.calls['deleteWebhook']).toBe(1);
    server.sendText(group, alice, '/start');
    const [reply] = await server.waitForMessages(group.id, 1);

    expect(reply).toMatchObject({
      method: 'sendMessage',
      chatId: group.id,
      text: '<b>hi</b>',
      parseMode: 'HTML',
      shownText: 'hi',
      entities: [{ type: 'bold', offset: 0, length: 2 }],
      token: server.token,
    });
    expect(reply!.message).toMatchObject({ text: 'hi', chat: { id: group.id, type: 'group', title: 'Whale watchers' } });
    const polls = server.callLog.filter((call) => call.method === 'getUpdates');
    expect(polls[0]!.params).toMatchObject({ timeout: 30 });
  });

  test('behavior: /cmd@BotName and arguments reach bot.command, a command for another bot does not', async () => {
    const seen: string[] = [];
    const { server } = await startBot((bot) =>
      bot.command('track', async (ctx) => {
        seen.push(ctx.match);
        await ctx.reply('ok');
      }),
    );

    server.sendText(supergroup, alice, `/track@${server.bot.username} 0xabc whale`);
    server.sendText(supergroup, alice, '/track@SomeOtherBot 0xdef');
    server.sendText(supergroup, alice, '/track 0x123');
    await server.waitForMessages(supergroup.id, 2);

    expect(seen).toEqual(['0xabc whale', '0x123']);
  });

  test('behavior: a held getUpdates is answered as soon as an update arrives', async () => {
    const server = await startTelegramServer();
    const url = `${server.apiRoot}/bot${server.token}/getUpdates`;
    try {
      const started = Date.now();
      const poll = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"timeout":10}' });
      setTimeout(() => server.sendText(alicePrivate, alice, 'hello'), 100);
      const body = (await (await poll).json()) as { ok: boolean; result: Array<{ update_id: number; message: { text: string } }> };

      expect(Date.now() - started).toBeLessThan(2_000);
      expect(body.ok).toBe(true);
      expect(body.result.map((update) => update.message.text)).toEqual(['hello']);
      const confirm = await fetch(`${url}?offset=${body.result[0]!.update_id + 1}`);
      expect(await confirm.json()).toEqual({ ok: true, result: [] });
    } finally {
      await server.stop();
    }
  });

  test('behavior: setMyCommands is recorded per scope', async () => {
    const { server, bot } = await startBot();

    await bot.api.setMyCommands([
      { command: 'track', description: 'Track a wallet' },
      { command: 'pnl', description: 'Profit and loss' },
    ]);
    await bot.api.setMyCommands([{ command: 'group', description: 'Manage groups' }], {
      scope: { type: 'all_group_chats' },
    });

    expect(server.commands()?.map((command) => command.command)).toEqual(['track', 'pnl']);
    expect(server.commands({ type: 'all_group_chats' })).toEqual([{ command: 'group', description: 'Manage groups' }]);
    await expect(bot.api.setMyCommands([{ command: 'Track', description: 'x' }])).rejects.toMatchObject({
      error_code: 400,
      description: 'Bad Request: BOT_COMMAND_INVALID',
    });
  });

  test('behavior: replyWithPhoto arrives as a multipart upload with its bytes, name and caption intact', async () => {
    const png = pngOf(1600, 900);
    const { server } = await startBot((bot) =>
      bot.command('pnl', (ctx) =>
        ctx.replyWithPhoto(new InputFile(png, 'pnl.png'), {
          caption: '<b>PnL</b> 7d: <code>+12.5%</code>',
          parse_mode: 'HTML',
          reply_markup: new InlineKeyboard().text('30d', 'pnl:30d'),
        }),
      ),
    );

    server.sendText(group, alice, '/pnl');
    const [sent] = await server.waitForMessages(group.id, 1);

    expect(sent!.method).toBe('sendPhoto');
    expect(sent!.photo).toMatchObject({ kind: 'upload', filename: 'pnl.png' });
    expect(sent!.photo?.kind === 'upload' && sent!.photo.bytes.equals(png)).toBe(true);
    expect(sent!.shownText).toBe('PnL 7d: +12.5%');
    expect(sent!.replyMarkup).toEqual({ inline_keyboard: [[{ text: '30d', callback_data: 'pnl:30d' }]] });
    const sizes = sent!.message.photo!;
    expect(sizes.at(-1)).toMatchObject({ width: 1280, height: 720, file_size: png.length });
    expect(sizes[0]).toMatchObject({ width: 90, height: 51 });
  });

  test('error: a photo that is not an image is refused as Telegram does', async () => {
    const { bot } = await startBot();

    await expect(bot.api.sendPhoto(group.id, new InputFile(Buffer.from('not a png'), 'x.png'))).rejects.toMatchObject({
      error_code: 400,
      description: 'Bad Request: IMAGE_PROCESS_FAILED',
    });
  });

  test('behavior: sendDocument keeps the uploaded file and gives the message a document; an empty file is refused', async () => {
    const { bot, server } = await startBot();
    const csv = Buffer.from('date,chain\r\n2025-01-01,base\r\n');
    const message = await bot.api.sendDocument(group.id, new InputFile(csv, 'trades.csv'), { caption: 'CSV' });
    expect(message.document).toMatchObject({ file_name: 'trades.csv', file_size: csv.length });
    const [sent] = server.messages(group.id).slice(-1);
    expect(sent).toMatchObject({ method: 'sendDocument', shownText: 'CSV', document: { filename: 'trades.csv' } });
    expect(sent!.document!.bytes.equals(csv)).toBe(true);
    await expect(bot.api.sendDocument(group.id, new InputFile(Buffer.alloc(0), 'empty.csv'))).rejects.toMatchObject({ error_code: 400 });
  });

  test('behavior: getChatMember answers the status the test set', async () => {
    const { server, bot } = await startBot();
    server.setMember(group.id, alice.id, 'administrator');
    server.setMember(group.id, bob.id, 'member');
    server.setMember(supergroup.id, bob.id, 'kicked');

    expect((await bot.api.getChatMember(group.id, alice.id)).status).toBe('administrator');
    expect(await bot.api.getChatMember(group.id, bob.id)).toMatchObject({ status: 'member', user: { id: bob.id } });
    expect((await bot.api.getChatMember(supergroup.id, bob.id)).status).toBe('kicked');
    expect((await bot.api.getChatMember(supergroup.id, alice.id)).status).toBe('left');
    await expect(bot.api.getChatMember(group.id, 999)).rejects.toMatchObject({ error_code: 400 });
  });

  test('behavior: a button press reaches callback_query:data and answerCallbackQuery is recorded', async () => {
    const pressed: string[] = [];
    const { server, bot } = await startBot((b) => {
      b.command('wallets', (ctx) => ctx.reply('Wallets', { reply_markup: new InlineKeyboard().text('PnL', 'pnl:whale') }));
      b.on('callback_query:data', async (ctx: Context) => {
        pressed.push(ctx.callbackQuery!.data!);
        await ctx.answerCallbackQuery({ text: 'Loading PnL' });
      });
    });

    server.sendText(group, alice, '/wallets');
    const [menu] = await server.waitForMessages(group.id, 1);
    const queryId = server.pressButton(group, bob, menu!.messageId, 'pnl:whale');
    await server.waitForCalls('answerCallbackQuery', 1);

    expect(pressed).toEqual(['pnl:whale']);
    expect(server.callbackAnswers()).toEqual([{ callbackQueryId: queryId, time: expect.any(Number), text: 'Loading PnL' }]);
    await expect(bot.api.answerCallbackQuery(queryId)).rejects.toMatchObject({ error_code: 400 });
  });

  test('error: a 429 from failNext surfaces as a GrammyError with retry_after, then the next call succeeds', async () => {
    const { server, bot } = await startBot();
    server.failNext('sendMessage', 1, { error_code: 429, description: 'Too Many Requests: retry after 7', retry_after: 7 });

    const error = await bot.api.sendMessage(group.id, 'alert').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } });
    expect(server.messages()).toEqual([]);
    await bot.api.sendMessage(group.id, 'alert');
    expect(server.messages().map((sent) => sent.shownText)).toEqual(['alert']);
    expect(server.callLog.filter((call) => call.method === 'sendMessage').map((call) => call.status)).toEqual([429, 200]);
  });

  test('error: the HTTP status of a failure equals its error_code', async () => {
    const server = await startTelegramServer();
    try {
      server.failNext('sendMessage', 1, { error_code: 500, description: 'Internal Server Error' });
      const url = `${server.apiRoot}/bot${server.token}/sendMessage`;
      const failed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"chat_id":1,"text":"x"}' });
      const missing = await fetch(`${server.apiRoot}/bot${server.token}/noSuchMethod`);

      expect(failed.status).toBe(500);
      expect(await failed.json()).toEqual({ ok: false, error_code: 500, description: 'Internal Server Error' });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
    } finally {
      await server.stop();
    }
  });

  test('error: a blocked chat answers every send with 403 and the bot hears my_chat_member', async () => {
    const statuses: string[] = [];
    const { server, bot } = await startBot((b) => b.on('my_chat_member', (ctx) => void statuses.push(ctx.myChatMember.new_chat_member.status)));
    server.blockBot(alicePrivate.id);
    server.blockBot(group.id, { notify: false });

    const privateError = await bot.api.sendMessage(alicePrivate.id, 'alert').catch((caught: unknown) => caught);
    const groupError = await bot.api.sendPhoto(group.id, new InputFile(pngOf(8, 8), 'c.png')).catch((caught: unknown) => caught);

    expect(privateError).toBeInstanceOf(GrammyError);
    expect(privateError).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect(groupError).toMatchObject({ error_code: 403, description: 'Forbidden: bot was kicked from the group chat' });
    await expect.poll(() => statuses).toEqual(['kicked']);
    server.unblockBot(group.id, { notify: false });
    await bot.api.sendMessage(group.id, 'back');
    expect(server.messages().map((sent) => sent.chatId)).toEqual([group.id]);
  });

  test('behavior: violations() finds a burst of 5 sends in one second to one chat, and nothing in paced sends', async () => {
    const { server, bot } = await startBot();

    for (let i = 0; i < 5; i++) await bot.api.sendMessage(group.id, `burst ${i}`);

    const violations = server.violations();
    expect(violations.map((violation) => violation.rule)).toEqual(Array(4).fill('perChatPerSecond'));
    expect(violations.map((violation) => violation.messageId)).toEqual([2, 3, 4, 5]);
    expect(violations[3]).toMatchObject({ chatId: group.id, count: 5, limit: 1 });
    expect(server.violations({ perChatPerSecond: 5 })).toEqual([]);
  });

  test('behavior: sends paced at the limit are no violation', async () => {
    const { server, bot } = await startBot();

    for (let i = 0; i < 3; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
      await bot.api.sendMessage(alicePrivate.id, `paced ${i}`);
    }

    expect(server.messages()).toHaveLength(3);
    expect(server.violations()).toEqual([]);
  });

  test('behavior: rateLimit() refuses sends beyond the limits with 429 and a retry_after that is enough', async () => {
    const { server, bot } = await startBot();
    server.rateLimit({ perChatPerSecond: 2 });

    await bot.api.sendMessage(group.id, 'one');
    await bot.api.sendMessage(group.id, 'two');
    const refused = await bot.api.sendMessage(group.id, 'three').catch((caught: unknown) => caught);
    await bot.api.sendMessage(supergroup.id, 'other chat');

    expect(refused).toMatchObject({ error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await bot.api.sendMessage(group.id, 'three');
    expect(server.messages(group.id).map((sent) => sent.shownText)).toEqual(['one', 'two', 'three']);
    expect(server.violations({ perChatPerSecond: 2 })).toEqual([]);
  });

  test('behavior: rateLimit() with no limit named enforces Telegram’s own', async () => {
    const { server, bot } = await startBot();
    server.rateLimit();

    await bot.api.sendMessage(group.id, 'first');
    const refused = await bot.api.sendMessage(group.id, 'second').catch((caught: unknown) => caught);

    expect(refused).toBeInstanceOf(GrammyError);
    expect(refused).toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
  });

  test('behavior: a rule on one chat enforces 20 a minute in that group with the retry_after it names', async () => {
    const { server, bot } = await startBot();
    const lift = server.rateLimit({ chatId: group.id, perGroupPerMinute: 20, retryAfter: 42 });
    await bot.api.sendMessage(supergroup.id, 'another chat is not limited');
    const sent = Array.from({ length: 20 }, (_, i) => bot.api.sendMessage(group.id, `m${i}`));
    await Promise.all(sent);

    const refused = await bot.api.sendMessage(group.id, 'm20').catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ error_code: 429, parameters: { retry_after: 42 } });
    lift();
    await bot.api.sendMessage(group.id, 'm20');
    expect(server.messages(group.id)).toHaveLength(21);
    expect(server.violations().filter((violation) => violation.rule === 'perGroupPerMinute')).toHaveLength(1);
  });

  test('behavior: a user label with <b> escaped is shown literally; unescaped it is refused', async () => {
    const { server, bot } = await startBot();
    const label = '<b>whale</b> & co';
    const escaped = label.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

    await bot.api.sendMessage(group.id, `Tracking <i>${escaped}</i>`, { parse_mode: 'HTML' });
    const refused = await bot.api.sendMessage(group.id, 'Tracking <unknown>', { parse_mode: 'HTML' }).catch((caught: unknown) => caught);

    expect(server.messages(group.id)[0]).toMatchObject({
      shownText: 'Tracking <b>whale</b> & co',
      entities: [{ type: 'italic', offset: 9, length: 17 }],
    });
    expect(refused).toMatchObject({
      error_code: 400,
      description: `Bad Request: can't parse entities: Unsupported start tag "unknown" at byte offset 9`,
    });
  });

  test('behavior: a dropped connection after the send leaves the message sent and the bot with an HttpError', async () => {
    const { server, bot } = await startBot();
    server.failNext('sendMessage', 1, { disconnect: 'after' });

    const error = await bot.api.sendMessage(group.id, 'did it go?').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HttpError);
    expect(server.messages().map((sent) => sent.shownText)).toEqual(['did it go?']);
  });

  test('behavior: with a webhook set, updates are posted to it with the secret and getUpdates is refused', async () => {
    const server = await startTelegramServer();
    const bot = new Bot(server.token, { client: { apiRoot: server.apiRoot } });
    bot.command('start', (ctx) => ctx.reply('hi from the webhook'));
    const hook: Server = createServer(webhookCallback(bot, 'http', { secretToken: 's3cret' }));
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/telegram`;
      await bot.api.setWebhook(url, { secret_token: 's3cret' });
      server.sendText(alicePrivate, alice, '/start');

      const [reply] = await server.waitForMessages(alicePrivate.id, 1);
      expect(reply!.shownText).toBe('hi from the webhook');
      expect(server.webhook()).toMatchObject({ url, secretToken: 's3cret' });
      await expect(bot.api.getUpdates()).rejects.toMatchObject({ error_code: 409 });
    } finally {
      hook.closeAllConnections();
      await new Promise((resolve) => hook.close(resolve));
      await server.stop();
    }
  });

  test('behavior: stop() ends a held long poll so nothing keeps the process alive', async () => {
    const server = await startTelegramServer();
    const poll = fetch(`${server.apiRoot}/bot${server.token}/getUpdates?timeout=50`).then((res) => res.json());
    await server.waitForCalls('getUpdates', 1);

    const started = Date.now();
    await server.stop();

    expect(await poll).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

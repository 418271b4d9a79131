import { Writable } from 'node:stream';
import { Api, Composer, Context, type MiddlewareFn } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/support/testDatabase.js';
import { createLocalChartRenderer } from '../../charts/createLocalChartRenderer.js';
import { DEFAULT_LIMITS, type LookoutConfig } from '../../config/loadConfig.js';
import { workspaces } from '../../db/schema.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { createEventBus } from '../../events/eventBus.js';
import { createChatLimiter } from '../chat/createChatLimiter.js';
import { createTelegramReplies } from './createTelegramReplies.js';
import {
  ADMINS_ONLY,
  adminsOnly,
  createTelegramAdmins,
  errorBoundary,
  rateLimit,
  readRequest,
  refuseControl,
  workspace,
  type LookoutContext,
} from './telegramMiddleware.js';

const ME = { id: 1, is_bot: true, first_name: 'Lookout', username: 'lookout_bot' } as UserFromGetMe;
const GROUP = { id: -100, type: 'supergroup' as const, title: 'Desk' };
const ADMIN = { id: 7, is_bot: false, first_name: 'Ada' };
const MEMBER = { id: 8, is_bot: false, first_name: 'Bo' };

/** A Bot API that never leaves the process: a grammY transformer answers, and keeps every call. */
function fakeApi() {
  const api = new Api('123:test', { apiRoot: 'http://127.0.0.1:9' });
  const calls: { method: string; payload: Record<string, unknown> }[] = [];
  api.config.use(async (_prev, method, payload) => {
    const body = payload as Record<string, unknown>;
    calls.push({ method, payload: body });
    if (method === 'getChatMember') return { ok: true, result: { status: body.user_id === ADMIN.id ? 'administrator' : 'member', user: {} } } as never;
    return { ok: true, result: method === 'sendMessage' ? { message_id: calls.length, date: 0, chat: GROUP } : true } as never;
  });
  return { api, calls, said: () => calls.filter((call) => call.method === 'sendMessage').map((call) => String(call.payload.text)) };
}

function logs() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => void (lines.push(JSON.parse(String(chunk))), done()) }));
  return { logger, lines };
}

let updateId = 0;
const message = (text: string, from = ADMIN, chat: { id: number; type: 'supergroup' | 'private'; title?: string; first_name?: string } = GROUP): Update =>
  ({ update_id: ++updateId, message: { message_id: updateId, date: 0, chat, from, text } }) as Update;

/** Runs the layers and then `handler` on one update, as grammY would. */
function layers(options: { handler?: MiddlewareFn<LookoutContext>; commandsPerMinute?: number; extra?: MiddlewareFn<LookoutContext>[] } = {}) {
  const fake = fakeApi();
  const log = logs();
  const limiter = createChatLimiter({ ...DEFAULT_LIMITS, commandsPerMemberPerMinute: options.commandsPerMinute ?? 20 });
  const replies = createTelegramReplies({ charts: createLocalChartRenderer(), limiter, logger: log.logger });
  const admins = createTelegramAdmins();
  const handled: LookoutContext[] = [];
  const chain = new Composer<LookoutContext>(
    errorBoundary(replies, log.logger),
    readRequest(),
    rateLimit(limiter, replies),
    refuseControl(),
    adminsOnly(admins, replies),
    ...(options.extra ?? []),
    async (ctx, next) => {
      if (!ctx.lookout.request) return next();
      handled.push(ctx);
      await options.handler?.(ctx, next);
    },
  ).middleware();
  return {
    ...fake,
    ...log,
    handled,
    run: (update: Update) => chain(new Context(update, fake.api, ME) as LookoutContext, async () => {}),
  };
}

describe('Telegram middleware', () => {
  it('behavior: a command that changes the workspace is refused to a member and run for an admin; reading needs no admin', async () => {
    const bot = layers();
    await bot.run(message('/track 0xabc whale', MEMBER));
    expect(bot.said()).toEqual([ADMINS_ONLY]);
    expect(bot.handled).toHaveLength(0);
    await bot.run(message('/track 0xabc whale', ADMIN));
    expect(bot.handled.map((ctx) => ctx.lookout.request)).toEqual([{ command: 'track', args: '0xabc whale', button: false }]);
    await bot.run(message('/group list', MEMBER));
    await bot.run(message('/alerts', MEMBER));
    await bot.run(message('/alerts routes', MEMBER));
    expect(bot.handled.map((ctx) => ctx.lookout.request?.command)).toEqual(['track', 'group', 'alerts', 'alerts']);
    // Note: the member was asked about once, then remembered; reading commands ask nothing.
    expect(bot.calls.filter((call) => call.method === 'getChatMember').map((call) => call.payload.user_id)).toEqual([MEMBER.id, ADMIN.id]);
    await bot.run(message('/alerts route here', MEMBER));
    expect(bot.said().at(-1)).toBe(ADMINS_ONLY);
  });

  it('behavior: in a private chat its owner is the admin, without asking Telegram', async () => {
    const bot = layers();
    await bot.run(message('/untrack whale', MEMBER, { id: MEMBER.id, type: 'private', first_name: 'Bo' }));
    expect(bot.handled).toHaveLength(1);
    expect(bot.calls.filter((call) => call.method === 'getChatMember')).toEqual([]);
  });

  it('behavior: only commands of the table addressed to this bot are requests', async () => {
    const bot = layers();
    await bot.run(message('/help@other_bot'));
    await bot.run(message('/dance'));
    await bot.run(message('hello /help'));
    await bot.run(message('/help@Lookout_Bot'));
    expect(bot.handled.map((ctx) => ctx.lookout.request)).toEqual([{ command: 'help', args: '', button: false }]);
  });

  it('error: the boundary tells a person their mistake in one sentence, and logs anything else as an object with its stack', async () => {
    const bot = layers({
      handler: async (ctx) => {
        if (ctx.lookout.request!.args === 'bad') throw new UserInputError('There is no group <b>.');
        throw new Error('database on fire', { cause: new Error('disk') });
      },
    });
    await bot.run(message('/pnl bad', MEMBER));
    expect(bot.said()).toEqual(['There is no group &lt;b&gt;.']);
    expect(bot.lines).toEqual([]);
    await bot.run(message('/pnl other', MEMBER));
    expect(bot.said()[1]).toBe('Something went wrong on our side; please try again in a minute.');
    expect(bot.lines).toHaveLength(1);
    expect(bot.lines[0]).toMatchObject({ msg: 'command failed', chat: GROUP.id, err: { type: 'Error', message: 'database on fire: disk' } });
    // Note: the cause survives in the message and the stack says where it was thrown.
    expect(String((bot.lines[0]!.err as { stack: string }).stack)).toMatch(/telegramMiddleware\.test\.ts/);
  });

  it('error: a control character is refused before the command runs', async () => {
    const bot = layers();
    await bot.run(message('/pnl a\u0000b', MEMBER));
    expect(bot.handled).toEqual([]);
    expect(bot.said()).toEqual(['Your text contains an invisible control character (U+0000); type it again without it.']);
  });

  it('behavior: the rate limit refuses once per window, then drops requests without a word', async () => {
    const bot = layers({ commandsPerMinute: 2 });
    for (let n = 0; n < 4; n++) await bot.run(message('/wallets', MEMBER));
    expect(bot.handled).toHaveLength(2);
    expect(bot.said()).toHaveLength(1);
    expect(bot.said()[0]).toMatch(/^You have sent 2 commands in a minute/);
  });

  it('behavior: every button is answered; only an alert’s PnL button in a chat becomes a request', async () => {
    const bot = layers();
    const press = (data: string, withChat = true): Update =>
      ({
        update_id: ++updateId,
        callback_query: {
          id: `q${updateId}`,
          from: MEMBER,
          chat_instance: 'x',
          data,
          ...(withChat ? { message: { message_id: 1, date: 0, chat: GROUP } } : { inline_message_id: 'inline' }),
        },
      }) as Update;
    await bot.run(press('mystery'));
    await bot.run(press('pnl:0xabc', false));
    await bot.run(press('pnl:0xabc'));
    const answers = bot.calls.filter((call) => call.method === 'answerCallbackQuery').map((call) => call.payload.text);
    expect(answers).toEqual(['This button is no longer in use; run the command again.', 'This button only works in the chat Lookout posted it in.', 'Computing PnL…']);
    expect(bot.handled.map((ctx) => ctx.lookout.request)).toEqual([{ command: 'pnl', args: '0xabc', button: true }]);
  });

  it('behavior: the workspace layer sets up the chat as a workspace and the command context with who asked', async () => {
    const database = await createTestDatabase();
    try {
      const core = {
        db: database.db,
        config: { limits: DEFAULT_LIMITS } as LookoutConfig,
        events: createEventBus(),
        prices: async () => null,
        charts: createLocalChartRenderer(),
      };
      const bot = layers({ extra: [workspace(core)] });
      await bot.run(message('/wallets', MEMBER));
      expect(bot.handled[0]!.lookout.workspace).toMatchObject({ workspaceId: 'telegram:-100', actor: 'telegram:8' });
      expect(await database.db.select({ id: workspaces.id, platform: workspaces.platform }).from(workspaces)).toContainEqual({ id: 'telegram:-100', platform: 'telegram' });
    } finally {
      await database.close();
    }
  });
});

import { Api } from 'grammy';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../db/alertQueries.js';
import type { AlertView } from '../alerts/alertView.js';
import type { DeliveryReport, DeliveryResult } from '../delivery/createOutboxWorker.js';
import { createTelegramDelivery } from './createTelegramDelivery.js';

const logger = pino({ level: 'silent' });

/** A Bot API that never leaves the process: a grammY transformer answers every call, as `answer` says. */
function fakeApi(answer: (method: string, payload: Record<string, unknown>) => { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } }) {
  const api = new Api('123:test', { apiRoot: 'http://127.0.0.1:9' });
  const calls: { method: string; payload: Record<string, unknown> }[] = [];
  api.config.use(async (_prev, method, payload) => {
    calls.push({ method, payload: payload as Record<string, unknown> });
    return answer(method, payload as Record<string, unknown>) as never;
  });
  return { api, calls };
}

const sent = (() => {
  let id = 0;
  return () => ({ ok: true as const, result: { message_id: ++id, date: 0, chat: { id: 1, type: 'private' } } });
})();

function alert(n: number): AlertView {
  return {
    type: 'trade',
    chain: 'base',
    tx: `0x${n.toString(16).padStart(64, '0')}`,
    wallet: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
    label: 'whale',
    kind: 'buy',
    sent: [{ asset: 'native', symbol: 'ETH', amount: '0.1', raw: 10n ** 17n, decimals: 18 }],
    received: [{ asset: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512', symbol: 'MEME', amount: `${n}000`, raw: BigInt(n) * 1000n, decimals: 0 }],
    usd: '300',
    priceUsd: null,
    baseSymbol: 'MEME',
    venue: 'Uniswap V2',
    counterparty: null,
    time: null,
    txUrl: null,
    walletUrl: null,
    token: null,
    holding: null,
    sale: null,
    note: null,
  };
}

let nextRowId = 0;
const items = (destination: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ alert: alert(i + 1), row: { id: ++nextRowId, destination, attempts: 1, kind: 'alert' } as OutboxRow }));

/** A report that keeps what the delivery said of each message, in order. */
function recorder() {
  const settled: { ids: number[]; result: DeliveryResult }[] = [];
  const attempted: number[][] = [];
  const report: DeliveryReport = {
    attempting: async (rows) => (attempted.push(rows.map((row) => row.id)), true),
    settled: async (rows, result) => void (rows.length > 0 && settled.push({ ids: rows.map((row) => row.id), result })),
  };
  return { report, settled, attempted };
}

function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe('createTelegramDelivery: pacing within Telegram limits', () => {
  it('behavior: one chat gets at most a message a second; the next alert waits as "later", nothing attempted', async () => {
    const { api, calls } = fakeApi(sent);
    const time = clock();
    const delivery = createTelegramDelivery(api, logger, async () => null, time.now);
    const first = recorder();
    await delivery.deliverGroup('telegram:42', items('telegram:42', 1), first.report);
    expect(first.settled.map((entry) => entry.result.status)).toEqual(['sent']);
    const second = recorder();
    time.advance(400);
    await delivery.deliverGroup('telegram:42', items('telegram:42', 1), second.report);
    expect(second.attempted).toEqual([]);
    expect(second.settled[0]!.result).toEqual({ status: 'later', afterMs: 600 });
    time.advance(600);
    const third = recorder();
    await delivery.deliverGroup('telegram:42', items('telegram:42', 1), third.report);
    expect(third.settled.map((entry) => entry.result.status)).toEqual(['sent']);
    expect(calls.filter((call) => call.method === 'sendMessage')).toHaveLength(2);
  });

  it('behavior: pacing survives a restart: the last delivery of the chat seeds it', async () => {
    const { api } = fakeApi(sent);
    const time = clock();
    const delivery = createTelegramDelivery(api, logger, async () => new Date(time.now() - 300), time.now);
    const report = recorder();
    await delivery.deliverGroup('telegram:43', items('telegram:43', 1), report.report);
    expect(report.settled[0]!.result).toEqual({ status: 'later', afterMs: 700 });
  });

  it('behavior: no more than 30 messages a second in all, whatever the chats', async () => {
    const { api, calls } = fakeApi(sent);
    const time = clock();
    const delivery = createTelegramDelivery(api, logger, async () => null, time.now);
    const results: DeliveryResult['status'][] = [];
    for (let chat = 1; chat <= 31; chat++) {
      const report = recorder();
      await delivery.deliverGroup(`telegram:${chat}`, items(`telegram:${chat}`, 1), report.report);
      results.push(report.settled[0]!.result.status);
    }
    expect(results.slice(0, 30).every((status) => status === 'sent')).toBe(true);
    expect(results[30]).toBe('later');
    expect(calls).toHaveLength(30);
    time.advance(1_000);
    expect(delivery.waitMs(31)).toBe(0);
  });

  it('behavior: a group gets at most 20 messages a minute', async () => {
    const { api } = fakeApi(sent);
    const time = clock();
    const delivery = createTelegramDelivery(api, logger, async () => null, time.now);
    for (let n = 0; n < 20; n++) {
      const report = recorder();
      await delivery.deliverGroup('telegram:-100', items('telegram:-100', 1), report.report);
      expect(report.settled[0]!.result.status).toBe('sent');
      time.advance(1_000);
    }
    // Note: the first of the 20 was sent 20 s ago; the 21st waits until it is a minute old.
    expect(delivery.waitMs(-100)).toBe(40_000);
  });

  it("behavior: a 429 is waited out for Telegram's retry_after, and the chat gets nothing meanwhile", async () => {
    let limited = true;
    const { api, calls } = fakeApi(() =>
      limited ? { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } } : sent(),
    );
    const time = clock();
    const delivery = createTelegramDelivery(api, logger, async () => null, time.now);
    const report = recorder();
    await delivery.deliverGroup('telegram:44', items('telegram:44', 1), report.report);
    expect(report.settled[0]!.result).toMatchObject({ status: 'retry', afterMs: 7_000 });
    limited = false;
    time.advance(5_000);
    expect(delivery.waitMs(44)).toBe(2_000);
    const meanwhile = recorder();
    await delivery.deliverGroup('telegram:44', items('telegram:44', 1), meanwhile.report);
    expect(meanwhile.settled[0]!.result).toEqual({ status: 'later', afterMs: 2_000 });
    expect(calls).toHaveLength(1);
  });

  it('behavior: a burst is folded into one summary message carrying every alert, marked in one commit', async () => {
    const { api, calls } = fakeApi(sent);
    const delivery = createTelegramDelivery(api, logger, async () => null, clock().now);
    const burst = items('telegram:45', 5);
    const report = recorder();
    await delivery.deliverGroup('telegram:45', burst, report.report);
    expect(calls).toHaveLength(1);
    expect(report.attempted).toEqual([burst.map((item) => item.row.id)]);
    expect(report.settled).toHaveLength(1);
    expect(report.settled[0]).toMatchObject({ ids: burst.map((item) => item.row.id), result: { status: 'sent' } });
    const text = String(calls[0]!.payload.text);
    for (const item of burst) expect(text).toContain(`${item.alert.received[0]!.raw.toLocaleString('en-US')} MEME`);
    // Every trade keeps its USD value, and the wallet's PnL is a button away, as under a single alert.
    expect(text.match(/\(\$300\.00\)/g)).toHaveLength(5);
    expect(calls[0]!.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: '📊 PnL of whale', callback_data: `pnl:${burst[0]!.alert.wallet}` }]] });
  });

  it('behavior: a chat that blocked the bot is paused; a chat Telegram cannot find is paused too', async () => {
    const { api } = fakeApi((_method, payload) =>
      payload.chat_id === 46
        ? { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }
        : { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
    );
    const delivery = createTelegramDelivery(api, logger, async () => null, clock().now);
    for (const chat of [46, 47]) {
      const report = recorder();
      await delivery.deliverGroup(`telegram:${chat}`, items(`telegram:${chat}`, 1), report.report);
      expect(report.settled[0]!.result.status).toBe('paused');
    }
  });
});

import { describe, expect, test } from 'vitest';

import { findSendViolations, sendLimitBreaches, TELEGRAM_SEND_LIMITS } from './sendLimits.js';

const GROUP = -42;

describe('sendLimits', () => {
  test('behavior: the 21st message to a group within a minute breaks the group rule, with the wait until one ages out', () => {
    const earlier = Array.from({ length: 20 }, (_, i) => ({ chatId: GROUP, time: i * 1_100 }));

    const breaches = sendLimitBreaches(earlier, { chatId: GROUP, time: 30_000 }, TELEGRAM_SEND_LIMITS, 0);

    expect(breaches).toEqual([
      { rule: 'perGroupPerMinute', chatId: GROUP, time: 30_000, count: 21, limit: 20, retryAfter: 30 },
    ]);
  });

  test('behavior: private chats are not held to the group rule, and the global rule counts every chat', () => {
    const sends = Array.from({ length: 31 }, (_, i) => ({ chatId: 1_000 + i, time: i * 10 }));

    expect(findSendViolations(sends, TELEGRAM_SEND_LIMITS, 0).map((violation) => violation.rule)).toEqual(['globalPerSecond']);
  });

  test('behavior: slack forgives a send that arrives a little early', () => {
    const sends = [
      { chatId: 7, time: 0 },
      { chatId: 7, time: 990 },
    ];

    expect(findSendViolations(sends, TELEGRAM_SEND_LIMITS, 0)).toHaveLength(1);
    expect(findSendViolations(sends, TELEGRAM_SEND_LIMITS, 50)).toEqual([]);
  });
});

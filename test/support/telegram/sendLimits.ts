/** Flood limits on sending: messages per chat per second, per group chat per minute, and overall per second. */
export type SendLimits = { perChatPerSecond?: number; perGroupPerMinute?: number; globalPerSecond?: number };

/** Which limit a send broke. */
export type SendLimitRule = keyof SendLimits;

/** The limits Telegram documents for bots: about 1 message a second in a chat, 20 a minute in a group, 30 a second in all. */
export const TELEGRAM_SEND_LIMITS: Required<SendLimits> = { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30 };

/** An accepted send, as the limits count it. */
export type CountedSend = { chatId: number; time: number };

/** A send beyond a limit: `count` sends (this one included) fell in the rule's window, where `limit` are allowed. */
export type SendLimitBreach = {
  rule: SendLimitRule;
  chatId: number;
  time: number;
  count: number;
  limit: number;
  /** Seconds until a send to this chat would be within the rule again. */
  retryAfter: number;
};

const RULES: SendLimitRule[] = ['perChatPerSecond', 'perGroupPerMinute', 'globalPerSecond'];
const WINDOW_MS: Record<SendLimitRule, number> = { perChatPerSecond: 1_000, perGroupPerMinute: 60_000, globalPerSecond: 1_000 };

// Telegram's ids: users are positive, groups and supergroups negative.
const isGroupChat = (chatId: number): boolean => chatId < 0;

/**
 * Every limit that a send at `send.time` breaks, given the accepted sends before it (oldest
 * first). Each window is shortened by `slackMs`, so that a client pacing itself exactly at
 * a limit is not failed by the jitter between its clock and the moment a request is read.
 */
export function sendLimitBreaches(
  earlier: readonly CountedSend[],
  send: CountedSend,
  limits: SendLimits,
  slackMs: number,
): SendLimitBreach[] {
  const breaches: SendLimitBreach[] = [];
  for (const rule of RULES) {
    const limit = limits[rule];
    if (limit === undefined) continue;
    if (rule === 'perGroupPerMinute' && !isGroupChat(send.chatId)) continue;
    const windowMs = Math.max(1, WINDOW_MS[rule] - slackMs);
    const newestFirst: number[] = [];
    for (let j = earlier.length - 1; j >= 0; j--) {
      const other = earlier[j]!;
      if (other.time <= send.time - windowMs) break;
      if (rule === 'globalPerSecond' || other.chatId === send.chatId) newestFirst.push(other.time);
    }
    if (newestFirst.length < limit) continue;
    // The send fits once all but limit-1 of the window's sends have aged out.
    const freedAt = newestFirst[Math.max(0, limit - 1)]! + windowMs;
    breaches.push({
      rule,
      chatId: send.chatId,
      time: send.time,
      count: newestFirst.length + 1,
      limit,
      retryAfter: Math.max(1, Math.ceil((freedAt - send.time) / 1000)),
    });
  }
  return breaches;
}

/** The sends in a history (oldest first) that broke a limit when they were made, one entry per rule broken. */
export function findSendViolations<T extends CountedSend>(
  sends: readonly T[],
  limits: SendLimits,
  slackMs: number,
): Array<SendLimitBreach & { send: T }> {
  return sends.flatMap((send, index) =>
    sendLimitBreaches(sends.slice(0, index), send, limits, slackMs).map((breach) => ({ ...breach, send })),
  );
}

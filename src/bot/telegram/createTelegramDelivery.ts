import { GrammyError, HttpError, type Api } from 'grammy';
import type { Logger } from '../../logger.js';
import type { AlertView } from '../alerts/alertView.js';
import { retryAfter, type DeliverGroup, type DeliveryResult } from '../delivery/createOutboxWorker.js';
import { alertHtml, alertSummaryHtml, MAX_MESSAGE_LENGTH } from './telegramHtml.js';

/** Telegram's limits: about one message a second per chat, 20 a minute per group, 30 a second in all. */
const PER_CHAT_MS = 1_000;
const GROUP_PER_MINUTE = 20;
const GLOBAL_PER_SECOND = 30;

export type TelegramDelivery = { deliverGroup: DeliverGroup; /** Sends allowed right now to a chat; for tests. */ waitMs(chatId: number): number };

/** The callback data of an alert's PnL button: short enough for Telegram's 64 bytes. */
export function pnlButtonData(wallet: string): string {
  return `pnl:${wallet}`;
}

// Note: a summary of many wallets gets a PnL button for each of the first few, one per row, so the message stays readable.
const SUMMARY_BUTTONS = 8;

/** The PnL buttons under a summary: one per wallet whose trade it carries, in order of appearance. */
export function summaryButtons(alerts: AlertView[]): { text: string; callback_data: string }[][] {
  const wallets = new Map<string, string>();
  for (const alert of alerts) if (alert.type === 'trade' && !wallets.has(alert.wallet)) wallets.set(alert.wallet, alert.label);
  return [...wallets]
    .slice(0, SUMMARY_BUTTONS)
    .map(([wallet, label]) => [{ text: `📊 PnL of ${label}`.slice(0, 60), callback_data: pnlButtonData(wallet) }]);
}

/**
 * Delivers a chat's due alerts within Telegram's limits: one alert as its own message, several as one
 * summary message (a burst is folded, never dropped). A 429 is waited out for its `retry_after`; a chat
 * that blocked or removed the bot is paused instead of retried forever.
 */
export function createTelegramDelivery(
  api: Api,
  logger: Logger,
  /** When the chat last got an alert, from before this process started; seeds the pacing. */
  lastDelivered: (destination: string) => Promise<Date | null>,
  now: () => number = Date.now,
): TelegramDelivery {
  const lastSend = new Map<number, number>();
  const groupSends = new Map<number, number[]>();
  let globalSends: number[] = [];
  const blockedUntil = new Map<number, number>();

  function waitMs(chatId: number): number {
    const t = now();
    let wait = Math.max(0, (blockedUntil.get(chatId) ?? 0) - t, (lastSend.get(chatId) ?? -Infinity) + PER_CHAT_MS - t);
    if (chatId < 0) {
      const recent = (groupSends.get(chatId) ?? []).filter((time) => time > t - 60_000);
      groupSends.set(chatId, recent);
      if (recent.length >= GROUP_PER_MINUTE) wait = Math.max(wait, recent[0]! + 60_000 - t);
    }
    globalSends = globalSends.filter((time) => time > t - 1_000);
    if (globalSends.length >= GLOBAL_PER_SECOND) wait = Math.max(wait, globalSends[0]! + 1_000 - t);
    return wait;
  }

  function recordSend(chatId: number): void {
    const t = now();
    lastSend.set(chatId, t);
    globalSends.push(t);
    if (chatId < 0) groupSends.set(chatId, [...(groupSends.get(chatId) ?? []), t]);
  }

  async function send(chatId: number, alerts: AlertView[]): Promise<number> {
    let sent: { message_id: number };
    if (alerts.length === 1) {
      const alert = alerts[0]!;
      sent = await api.sendMessage(chatId, alertHtml(alert), {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(alert.type === 'trade'
          ? { reply_markup: { inline_keyboard: [[{ text: `📊 PnL of ${alert.label}`.slice(0, 60), callback_data: pnlButtonData(alert.wallet) }]] } }
          : {}),
      });
    } else {
      const buttons = summaryButtons(alerts);
      sent = await api.sendMessage(chatId, alertSummaryHtml(alerts), {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(buttons.length ? { reply_markup: { inline_keyboard: buttons } } : {}),
      });
    }
    recordSend(chatId);
    return sent.message_id;
  }

  return {
    waitMs,
    async deliverGroup(destination, items, report) {
      const chatId = Number(destination.slice('telegram:'.length));
      if (!lastSend.has(chatId)) lastSend.set(chatId, (await lastDelivered(destination))?.getTime() ?? -Infinity);
      const later = (ms: number): DeliveryResult => ({ status: 'later', afterMs: Math.max(ms, 50) });
      const wait = waitMs(chatId);
      if (wait > 0) {
        await report.settled(
          items.map((item) => item.row),
          later(wait),
        );
        return;
      }
      // Fold as many as fit into one message; what does not fit waits for the next allowed send.
      let batch = items;
      if (items.length > 1) {
        let count = items.length;
        while (count > 1 && alertSummaryHtml(items.slice(0, count).map((item) => item.alert)).length > MAX_MESSAGE_LENGTH) count--;
        batch = items.slice(0, count);
      }
      const rows = batch.map((item) => item.row);
      if (!(await report.attempting(rows))) return;
      let outcome: DeliveryResult;
      try {
        outcome = { status: 'sent', messageId: String(await send(chatId, batch.map((item) => item.alert))) };
      } catch (error) {
        outcome = classify(error);
        if (outcome.status === 'retry' && outcome.afterMs) blockedUntil.set(chatId, now() + outcome.afterMs);
        logger.debug({ chat: chatId, err: error }, 'telegram send failed');
      }
      // Note: the summary and every alert it carries are marked in one commit, before anything else is sent.
      await report.settled(rows, outcome);
      await report.settled(
        items.slice(batch.length).map((item) => item.row),
        later(PER_CHAT_MS),
      );
    },
  };
}

/** Telegram's answers, read in one place: wait, pause the chat, or try again later. */
export function classify(error: unknown): DeliveryResult {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) {
      const seconds = error.parameters.retry_after ?? 5;
      return { status: 'retry', afterMs: seconds * 1_000, error: error.description, cause: error };
    }
    if (error.error_code === 403) return { status: 'paused', reason: error.description };
    if (error.error_code === 400 && /chat not found|chat_id is empty|group chat was upgraded/i.test(error.description)) {
      return { status: 'paused', reason: error.description };
    }
    return { status: 'retry', error: `${error.error_code} ${error.description}`, cause: error };
  }
  // Note: a network error may come after Telegram delivered the message; the alert is sent again, the one allowed repeat.
  if (error instanceof HttpError) return { status: 'retry', error: `network: ${error.message}`, cause: error };
  return retryAfter(error);
}

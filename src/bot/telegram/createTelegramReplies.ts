import { GrammyError, InputFile, type Context } from 'grammy';
import type { ChartRenderer } from '../../charts/ChartRenderer.js';
import type { Logger } from '../../logger.js';
import type { ChatLimiter } from '../chat/createChatLimiter.js';
import type { ChatAnswer } from '../chat/runChatCommand.js';
import type { ReplyFile } from '../commands/tradesCsv.js';
import { fitTelegramHtml, fitTelegramText, TELEGRAM_CAPTION_LIMIT } from './fitTelegramHtml.js';
import { escapeHtml, replyHtml } from './telegramHtml.js';

const CHART_SIZE = { width: 800, height: 480 };
const REFUSED_REPLY = 'Telegram refused that answer, so here is a short one: please try a shorter or simpler request.';

/** How the Telegram adapter answers in a chat: HTML within Telegram's limits, plain text, or a command's reply with its chart. */
export type TelegramReplies = {
  html(ctx: Context, html: string): Promise<void>;
  plain(ctx: Context, text: string): Promise<void>;
  reply(ctx: Context, reply: ChatAnswer): Promise<void>;
};

/**
 * Answers cut to Telegram's limits. Should Telegram still refuse one (a 400), the refusal is logged and a
 * short plain answer goes instead, so the person is never left without one.
 */
export function createTelegramReplies(deps: { charts: ChartRenderer; limiter: ChatLimiter; logger: Logger }): TelegramReplies {
  const log = deps.logger;

  async function plain(ctx: Context, text: string): Promise<void> {
    if (!ctx.chat) return;
    try {
      await ctx.reply(fitTelegramText(text));
    } catch (error) {
      log.warn({ err: error, chat: ctx.chat.id }, 'could not answer in a chat');
    }
  }

  async function html(ctx: Context, text: string): Promise<void> {
    try {
      await ctx.reply(fitTelegramHtml(text), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    } catch (error) {
      if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
      log.warn({ err: error, chat: ctx.chat?.id }, 'telegram refused a reply; sent a short one instead');
      await plain(ctx, REFUSED_REPLY);
    }
  }

  async function reply(ctx: Context, answer: ChatAnswer): Promise<void> {
    await html(ctx, replyHtml(answer));
    if (answer.file) await document(ctx, answer.file);
    if (!answer.chart) return;
    const verdict = deps.limiter.chart(`telegram:${ctx.chat!.id}`);
    if (verdict.kind === 'refuse') await plain(ctx, verdict.message);
    if (verdict.kind !== 'allow') return;
    const png = await deps.charts.renderChart(answer.chart, CHART_SIZE);
    const caption = answer.title ? fitTelegramHtml(escapeHtml(answer.title), TELEGRAM_CAPTION_LIMIT) : undefined;
    try {
      await ctx.replyWithPhoto(new InputFile(png, 'pnl.png'), { caption, parse_mode: 'HTML' });
    } catch (error) {
      if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
      log.warn({ err: error, chat: ctx.chat?.id }, 'telegram refused a chart');
      await plain(ctx, 'Telegram refused the chart of this answer; the figures above are complete.');
    }
  }

  /** A file answer (the trades CSV) as a document in the chat. */
  async function document(ctx: Context, file: ReplyFile): Promise<void> {
    try {
      await ctx.replyWithDocument(new InputFile(Buffer.from(file.content, 'utf8'), file.name));
    } catch (error) {
      if (!(error instanceof GrammyError) || error.error_code !== 400) throw error;
      log.warn({ err: error, chat: ctx.chat?.id }, 'telegram refused a file');
      await plain(ctx, 'Telegram refused the file of this answer; lookout trades --csv writes the same CSV.');
    }
  }

  return { html, plain, reply };
}

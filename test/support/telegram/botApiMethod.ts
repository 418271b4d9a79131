import type { BotApiParams } from './readBotApiRequest.js';

/** What a method knows about the call besides its parameters. */
export type BotApiCallContext = {
  token: string;
  /** When the call arrived, in ms since the epoch. */
  time: number;
  /** Aborted when the client hangs up. */
  signal: AbortSignal;
};

/** One Bot API method: returns the `result`, or throws a TelegramApiError. */
export type BotApiMethod = (params: BotApiParams, context: BotApiCallContext) => unknown;

import type { BotApiParams } from './readBotApiRequest.js';
import { badRequest } from './telegramApiError.js';

/** `chat_id`: an integer id or an `@username`; a missing one is refused as Telegram does. */
export function chatIdParam(params: BotApiParams): number | string {
  const value = params['chat_id'];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && value !== '') return value;
  throw badRequest('chat_id is empty');
}

/** An optional integer parameter. */
export function integerParam(params: BotApiParams, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw badRequest(`invalid ${name} specified`);
}

/** An integer parameter that must be present. */
export function requiredIntegerParam(params: BotApiParams, name: string): number {
  const value = integerParam(params, name);
  if (value === undefined) throw badRequest(`${name} is empty`);
  return value;
}

/** An optional string parameter; numbers and booleans are read as their text, as Telegram does. */
export function stringParam(params: BotApiParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest(`invalid ${name} specified`);
}

/** An optional boolean parameter. */
export function booleanParam(params: BotApiParams, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  return value === true || value === 'true' || value === 1;
}

/** An optional JSON object or array parameter; `what` names it in Telegram's parse error. */
export function jsonParam<T>(params: BotApiParams, name: string, what: string): T | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') throw badRequest(`can't parse ${what}`);
  return value as T;
}

import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';

/** Checks an API key's name as typed: 1 to 32 letters, digits, '.', '_' or '-' (it appears as `api:<name>` in the audit log). */
export function parseApiKeyName(name: string): string {
  const value = name.trim();
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(value)) {
    throw new UserInputError(`'${quoteInput(value)}' is not a key name; use 1 to 32 letters, digits, '.', '_' or '-'.`);
  }
  return value;
}

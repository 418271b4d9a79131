import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Reads `30m`, `24h`, `7d` or `2w` as milliseconds. */
export function parseDuration(text: string): number {
  const match = text.trim().match(/^(\d{1,5})([mhdw])$/);
  if (!match || Number(match[1]) === 0) {
    throw new UserInputError(`'${quoteInput(text)}' is not a duration; write a number and a unit, such as 30m, 24h, 7d or 2w.`);
  }
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

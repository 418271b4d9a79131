import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';
import type { PnlMethod, PnlWindow } from '../tracker/pnl/types.js';

const WINDOWS: readonly PnlWindow[] = ['24h', '7d', '30d', 'all'];

/** What a PnL request names: at most one of a wallet and a group, a window (all by default) and maybe a method. */
export type PnlOptions = { wallet?: string | undefined; group?: string | undefined; window?: string | undefined; method?: string | undefined };

/** Checks a PnL request's options without reading anything; the method is left undefined when not given. */
export function parsePnlOptions(args: PnlOptions): { window: PnlWindow; method: PnlMethod | undefined } {
  if (args.wallet !== undefined && args.group !== undefined) throw new UserInputError('Give either a wallet or a group, not both.');
  const window = (args.window ?? 'all') as PnlWindow;
  if (!WINDOWS.includes(window)) throw new UserInputError(`'${quoteInput(String(args.window))}' is not a window; use 24h, 7d, 30d or all.`);
  if (args.method !== undefined && args.method !== 'fifo' && args.method !== 'average') {
    throw new UserInputError(`'${quoteInput(args.method)}' is not a PnL method; use fifo or average.`);
  }
  return { window, method: args.method as PnlMethod | undefined };
}

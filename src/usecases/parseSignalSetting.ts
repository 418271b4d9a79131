import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';
import type { SignalSettings } from '../tracker/multiWalletSignal.js';

/** The most wallets a signal may ask for, and the longest window: a week. */
const MAX_WALLETS = 100;
const MAX_WINDOW_SECONDS = 7 * 86_400;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** A signal setting as typed: `3/1h` (three wallets within an hour), `5/30m`; `off` turns it off (null). */
export function parseSignalSetting(text: string): SignalSettings | null {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === 'none') return null;
  const match = value.match(/^(\d{1,3})\s*\/\s*(\d{1,6})([smhd])$/);
  const usage = 'write how many wallets within how long, such as 3/1h or 5/30m, or off';
  if (!match) throw new UserInputError(`'${quoteInput(text)}' is not a signal setting; ${usage}.`);
  const minWallets = Number(match[1]);
  const windowSeconds = Number(match[2]) * UNIT_SECONDS[match[3]!]!;
  if (minWallets < 2 || minWallets > MAX_WALLETS) {
    throw new UserInputError(`A signal needs between 2 and ${MAX_WALLETS} wallets, not ${minWallets}; ${usage}.`);
  }
  if (windowSeconds < 1 || windowSeconds > MAX_WINDOW_SECONDS) {
    throw new UserInputError(`A signal's window is from 1s to 7d, not '${quoteInput(`${match[2]}${match[3]}`)}'; ${usage}.`);
  }
  return { minWallets, windowSeconds };
}

/** A window in seconds as people write it: `1h`, `30m`, `90s`, `2d`, `1h30m`. */
export function formatWindow(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('') || '0s';
}

/** A route's multi-wallet signal setting, or null when it has none. */
export function signalSetting(route: { signalMinWallets: number | null; signalWindowSeconds: number | null }): SignalSettings | null {
  return route.signalMinWallets !== null && route.signalWindowSeconds !== null ? { minWallets: route.signalMinWallets, windowSeconds: route.signalWindowSeconds } : null;
}

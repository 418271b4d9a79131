import type { PnlWindow } from './types.js';

const HOUR_MS = 3_600_000;

const WINDOW_MS: Record<Exclude<PnlWindow, 'all'>, number> = {
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
};

/** The first instant inside `window` ending at `now`, or null when the window is the whole history. */
export function windowStart(window: PnlWindow, now: Date): Date | null {
  return window === 'all' ? null : new Date(now.getTime() - WINDOW_MS[window]);
}

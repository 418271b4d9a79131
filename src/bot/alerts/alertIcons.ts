import type { AlertView } from './alertView.js';

/** The icon that leads an alert of each kind, the same on every platform. */
export const ALERT_ICONS: Record<AlertView['kind'], string> = {
  buy: '🟢',
  sell: '🔴',
  swap: '🔁',
  transfer_in: '📥',
  transfer_out: '📤',
  wrap: '🎁',
  unwrap: '📦',
  other: '⚙️',
};

import { alertLine } from '../alerts/alertHeadline.js';
import { alertJson } from '../alerts/alertView.js';
import type { Deliver } from '../delivery/createOutboxWorker.js';

/** Delivers a local workspace's alerts to stdout: one readable line, or one JSON object per line. */
export function createConsoleSink(options: { json: boolean; write: (text: string) => void }): Deliver {
  return async (alert) => {
    options.write(options.json ? `${JSON.stringify(alertJson(alert))}\n` : `${alertLine(alert)}\n`);
    return { status: 'sent' };
  };
}

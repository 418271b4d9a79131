import { alertLine } from '../alerts/alertHeadline.js';
import { alertJson } from '../alerts/alertView.js';
import { oneByOne } from '../delivery/createOutboxWorker.js';
import type { Sink } from '../delivery/Sink.js';

/**
 * Delivers a local workspace's alerts to stdout: one readable line, or one JSON object per line. An alert
 * counts as sent once `write` has handed the line on (for stdout: once the write callback ran).
 */
export function createConsoleSink(options: {
  json: boolean;
  write: (text: string) => Promise<void> | void;
  /** The workspace whose alerts are printed: the one `lookout run` serves. */
  workspaceId: string;
}): Sink {
  return {
    name: 'console',
    scope: { prefix: 'console', workspaceId: options.workspaceId },
    deliverGroup: oneByOne(async (alert) => {
      await options.write(options.json ? `${JSON.stringify(alertJson(alert))}\n` : `${alertLine(alert)}\n`);
      return { status: 'sent' };
    }),
  };
}

/** Writes to stdout and resolves once Node handed the text to the operating system. */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (error) => (error ? reject(error) : resolve())));
}

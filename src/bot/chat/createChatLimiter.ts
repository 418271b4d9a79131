import type { LimitsConfig } from '../../config/loadConfig.js';

/** What to do with a request: run it, refuse it with one sentence, or drop it without a word. */
export type LimitVerdict = { kind: 'allow' } | { kind: 'refuse'; message: string } | { kind: 'quiet' };

export type ChatLimiter = {
  /** Counts a command of a member of a workspace. */
  command(workspace: string, member: string): LimitVerdict;
  /** Counts a chart drawn for a workspace. */
  chart(workspace: string): LimitVerdict;
};

const WINDOW_MS = 60_000;
/** Past this many counters, expired ones are swept on the next count. */
const SWEEP_AT = 10_000;

/**
 * Per-minute limits on what one member or one workspace may ask of the bot. A request over a limit is
 * refused with one polite sentence the first time in its window and dropped silently after that, so a
 * flood of commands never becomes a flood of refusals.
 */
export function createChatLimiter(limits: LimitsConfig, now: () => number = Date.now): ChatLimiter {
  const windows = new Map<string, { start: number; count: number; told: boolean }>();

  function take(key: string, max: number, message: (waitSeconds: number) => string): LimitVerdict {
    const time = now();
    if (windows.size > SWEEP_AT) {
      for (const [old, window] of windows) if (time - window.start >= WINDOW_MS) windows.delete(old);
    }
    let window = windows.get(key);
    if (!window || time - window.start >= WINDOW_MS) {
      window = { start: time, count: 0, told: false };
      windows.set(key, window);
    }
    window.count++;
    if (window.count <= max) return { kind: 'allow' };
    if (window.told) return { kind: 'quiet' };
    window.told = true;
    return { kind: 'refuse', message: message(Math.max(1, Math.ceil((window.start + WINDOW_MS - time) / 1000))) };
  }

  return {
    command: (workspace, member) =>
      take(
        `command:${workspace}:${member}`,
        limits.commandsPerMemberPerMinute,
        (wait) =>
          `You have sent ${limits.commandsPerMemberPerMinute} commands in a minute, the most allowed; please wait ${wait} s. Commands sent until then are ignored.`,
      ),
    chart: (workspace) =>
      take(
        `chart:${workspace}`,
        limits.chartsPerWorkspacePerMinute,
        (wait) =>
          `This chat has had ${limits.chartsPerWorkspacePerMinute} charts in a minute, the most allowed; answers come without a chart for the next ${wait} s.`,
      ),
  };
}

import { pausedDestinations, resumeDestination } from '../../db/pauseQueries.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';

/**
 * Tells an admin, under the answer to their command, which of the workspace's destinations are paused
 * and why, since they are the one who can fix it; the same on every platform. The chat the command came
 * from (`here`, on a platform whose chat is its own destination) obviously takes messages again, so its
 * paused alerts are let through at once.
 */
export async function notePausedDestinations(
  ctx: CommandContext,
  reply: Reply,
  options: { here?: string; isAdmin: () => Promise<boolean>; describe: (destination: string) => string },
): Promise<void> {
  const paused = await pausedDestinations(ctx.db, ctx.workspaceId);
  if (paused.length === 0 || !(await options.isAdmin())) return;
  for (const { destination, reason } of paused) {
    if (destination === options.here) {
      const resumed = await resumeDestination(ctx.db, destination, ctx.workspaceId);
      if (resumed > 0) reply.lines.push(`${resumed} paused alert${resumed === 1 ? '' : 's'} will now be delivered.`);
      ctx.events.emit({ type: 'outbox_ready' });
    } else {
      reply.lines.push(`⚠️ Alerts to ${options.describe(destination)} are paused: ${reason}. Fix it, then run /alerts route for that channel again.`);
    }
  }
}

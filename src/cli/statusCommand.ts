import type { CommandContext } from '../bot/commandContext.js';
import type { Reply } from '../bot/reply.js';
import { instanceStatus } from '../usecases/instanceStatus.js';

/** `lookout status`: which instance holds what, when one or several `lookout run` share the database. */
export async function statusCommand(ctx: CommandContext): Promise<Reply> {
  const { leases, claims } = await instanceStatus(ctx);
  const lines = leases.map((lease) => {
    const seconds = Math.round(lease.expiresInMs / 1000);
    const state = seconds >= 0 ? `renewed, expires in ${seconds} s` : `expired ${-seconds} s ago (its holder stopped)`;
    return `${lease.name}: ${lease.holder}, epoch ${lease.epoch}, since ${lease.acquiredAt.toISOString()}, ${state}`;
  });
  for (const claim of claims) lines.push(`delivering: ${claim.by} holds ${claim.alerts} alert${claim.alerts === 1 ? '' : 's'}`);
  return {
    title: 'Instances',
    tone: 'info',
    lines: lines.length > 0 ? lines : ['No instance holds anything: lookout run is not running on this database.'],
    data: {
      leases: leases.map((lease) => ({ ...lease, epoch: lease.epoch.toString(), acquiredAt: lease.acquiredAt.toISOString() })),
      delivering: claims,
    },
  };
}

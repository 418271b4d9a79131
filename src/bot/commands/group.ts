import { UserInputError } from '../../errors/LookoutError.js';
import { displayAddress } from '../../tracker/walletAddress.js';
import { addToGroup } from '../../usecases/addToGroup.js';
import { createGroup } from '../../usecases/createGroup.js';
import { deleteGroup } from '../../usecases/deleteGroup.js';
import { listGroups } from '../../usecases/listGroups.js';
import { removeFromGroup } from '../../usecases/removeFromGroup.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { wordDbErrors } from './dbErrorMessage.js';

export type GroupArgs =
  | { action: 'create'; name: string }
  /** `describe` names an alert route's destination as people know it (`#trades`). */
  | { action: 'delete'; name: string; describe?: (destination: string) => string }
  | { action: 'add' | 'remove'; name: string; wallets: string[] }
  | { action: 'list' };

/** Creates, deletes, fills, empties and lists the workspace's groups of wallets. */
export async function group(ctx: CommandContext, args: GroupArgs): Promise<Reply> {
  return wordDbErrors(() => groupReply(ctx, args));
}

async function groupReply(ctx: CommandContext, args: GroupArgs): Promise<Reply> {
  switch (args.action) {
    case 'create': {
      const created = await createGroup(ctx, args.name);
      return done(`Created group ${created.name}; add wallets with: group add ${created.name} <wallet>...`, { group: created.name });
    }
    case 'delete': {
      const deleted = await deleteGroup(ctx, args.name);
      const describe = args.describe ?? ((destination: string) => destination);
      const routes = deleted.routes.map((route) => `#${route.id} to ${describe(route.destination)}`);
      const gone = routes.length ? ` Its alert route${routes.length === 1 ? '' : 's'} went with it: ${routes.join(', ')}.` : '';
      return done(`Deleted group ${deleted.name}; its wallets are still tracked.${gone}`, { group: deleted.name, removedRoutes: deleted.routes });
    }
    case 'add': {
      requireWallets(args.wallets, 'add');
      const { group: target, added } = await addToGroup(ctx, args.name, args.wallets);
      const labels = unique(added.map((wallet) => wallet.label));
      return done(labels.length ? `Added ${labels.join(', ')} to group ${target.name}.` : `Those wallets were already in group ${target.name}.`, {
        group: target.name,
        added: labels,
      });
    }
    case 'remove': {
      requireWallets(args.wallets, 'remove');
      const { group: target, removed } = await removeFromGroup(ctx, args.name, args.wallets);
      const labels = unique(removed.map((wallet) => wallet.label));
      return done(`Removed ${labels.join(', ')} from group ${target.name}.`, { group: target.name, removed: labels });
    }
    case 'list': {
      const groups = await listGroups(ctx);
      const data = groups.map((entry) => ({
        name: entry.name,
        wallets: entry.wallets.map((wallet) => ({ label: wallet.label, address: displayAddress(wallet.address), chains: wallet.chains })),
      }));
      return {
        title: `Groups (${groups.length})`,
        tone: 'info',
        lines: data.length
          ? data.map((entry) => [
              { text: entry.name, bold: true },
              { text: `: ${entry.wallets.length ? entry.wallets.map((wallet) => wallet.label).join(', ') : '(empty)'}` },
            ])
          : ['No groups yet; create one with: group create <name>'],
        data,
      };
    }
  }
}

function requireWallets(wallets: string[], action: string): void {
  if (wallets.length === 0) throw new UserInputError(`Name at least one wallet: group ${action} <group> <wallet>...`);
}

function done(text: string, data: unknown): Reply {
  return { tone: 'success', lines: [text], data };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

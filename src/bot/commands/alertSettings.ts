import { getWorkspaceSettings, updateWorkspaceSettings, type WorkspaceSettings } from '../../db/workspaceSettings.js';
import { UserInputError } from '../../errors/LookoutError.js';
import { parseTypes, parseUsd } from './parseAlertFilters.js';
import { formatUsd } from '../../tracker/formatAmount.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { quoteInput } from '../../text/clipText.js';

export type AlertSettingsArgs =
  | { action: 'show' }
  | { action: 'on' | 'off' }
  | { action: 'min'; usd: string }
  | { action: 'types'; types: string }
  | { action: 'method'; method: string };

/** Shows or changes when the workspace is alerted: on or off, a minimum in USD, the kinds of trade, and the PnL method. */
export async function alertSettings(ctx: CommandContext, args: AlertSettingsArgs): Promise<Reply> {
  const change = (changes: Partial<WorkspaceSettings>) =>
    updateWorkspaceSettings(ctx.db, { workspaceId: ctx.workspaceId, actor: ctx.actor, changes });
  let settings: WorkspaceSettings;
  switch (args.action) {
    case 'show':
      settings = await getWorkspaceSettings(ctx.db, ctx.workspaceId);
      break;
    case 'on':
    case 'off':
      settings = await change({ alertsEnabled: args.action === 'on' });
      break;
    case 'min':
      settings = await change({ alertsMinUsd: parseUsd(args.usd) });
      break;
    case 'types':
      settings = await change({ alertsTypes: parseTypes(args.types) });
      break;
    case 'method':
      validateSetting(args);
      settings = await change({ pnlMethod: args.method as 'fifo' | 'average' });
      break;
  }
  return {
    title: 'Alert settings',
    tone: args.action === 'show' ? 'info' : 'success',
    lines: [
      `Alerts: ${settings.alertsEnabled ? 'on' : 'off'}`,
      `Minimum: ${settings.alertsMinUsd === null ? 'none' : formatUsd(settings.alertsMinUsd)} (unpriced trades are left out when a minimum is set)`,
      `Types: ${settings.alertsTypes?.length ? settings.alertsTypes.join(', ') : 'all'}`,
      `PnL method: ${settings.pnlMethod === 'fifo' ? 'FIFO' : 'average cost'}`,
    ],
    data: settings,
  };
}

/** Checks a change without writing it, so several changes are all valid before the first is stored. */
export function validateSetting(args: AlertSettingsArgs): void {
  if (args.action === 'min') parseUsd(args.usd);
  if (args.action === 'types') parseTypes(args.types);
  if (args.action === 'method' && args.method !== 'fifo' && args.method !== 'average') {
    throw new UserInputError(`'${quoteInput(args.method)}' is not a PnL method; use fifo or average.`);
  }
}

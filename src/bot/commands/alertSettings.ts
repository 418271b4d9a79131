import { getWorkspaceSettings, updateWorkspaceSettings, type WorkspaceSettings } from '../../db/workspaceSettings.js';
import { parseTypes, parseUsd } from './parseAlertFilters.js';
import { formatUsd } from '../../tracker/formatAmount.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';
import { validateSetting } from './validateSetting.js';

export type AlertSettingsArgs =
  | { action: 'show' }
  | { action: 'on' | 'off' }
  | { action: 'min'; usd: string }
  | { action: 'types'; types: string }
  | { action: 'method'; method: string }
  | { action: 'fees'; fees: string };

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
    case 'fees':
      validateSetting(args);
      settings = await change({ feesInBasis: args.fees === 'on' });
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
      `Fees in PnL: ${settings.feesInBasis ? 'on (added to the cost basis, deducted from proceeds)' : 'off (left out)'}`,
    ],
    data: settings,
  };
}

import { formatUsd } from '../../tracker/formatAmount.js';
import { changeSettings, type SettingsChange } from '../../usecases/changeSettings.js';
import { showSettings, type WorkspaceSettings } from '../../usecases/showSettings.js';
import type { CommandContext } from '../commandContext.js';
import type { Reply } from '../reply.js';

export type AlertSettingsArgs = { action: 'show' } | SettingsChange;

/** Shows or changes when the workspace is alerted: on or off, a minimum in USD, the kinds of trade, and the PnL method. */
export async function alertSettings(ctx: CommandContext, args: AlertSettingsArgs): Promise<Reply> {
  const settings: WorkspaceSettings = args.action === 'show' ? await showSettings(ctx) : await changeSettings(ctx, args);
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

import { updateWorkspaceSettings, type WorkspaceSettings } from '../db/workspaceSettings.js';
import { UserInputError } from '../errors/LookoutError.js';
import { parseTypes, parseUsd } from './parseAlertFilters.js';
import { parsePnlOptions } from './parsePnlOptions.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

/** One change of the workspace's settings, as typed. */
export type SettingsChange =
  | { action: 'on' | 'off' }
  | { action: 'min'; usd: string }
  | { action: 'types'; types: string }
  | { action: 'method'; method: string }
  | { action: 'fees'; fees: string };

/** Checks a settings change without writing it, so several changes are all valid before the first is stored. */
export function settingsChangeOf(change: SettingsChange): Partial<WorkspaceSettings> {
  switch (change.action) {
    case 'on':
    case 'off':
      return { alertsEnabled: change.action === 'on' };
    case 'min':
      return { alertsMinUsd: parseUsd(change.usd) };
    case 'types':
      return { alertsTypes: parseTypes(change.types) };
    case 'method':
      return { pnlMethod: parsePnlOptions({ method: change.method }).method! };
    case 'fees':
      if (change.fees !== 'on' && change.fees !== 'off') {
        throw new UserInputError(`'${change.fees}' is not on or off; use --fee-basis on or --fee-basis off.`);
      }
      return { feesInBasis: change.fees === 'on' };
  }
}

/** Changes when the workspace is alerted (on or off, a minimum in USD, the kinds of trade) or how its PnL is counted; answers with the settings after. */
export async function changeSettings(deps: UseCaseDeps, change: SettingsChange): Promise<WorkspaceSettings> {
  return updateWorkspaceSettings(deps.db, { workspaceId: deps.workspaceId, actor: deps.actor, changes: settingsChangeOf(change) });
}

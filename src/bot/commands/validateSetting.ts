import { UserInputError } from '../../errors/LookoutError.js';
import type { AlertSettingsArgs } from './alertSettings.js';
import { parseTypes, parseUsd } from './parseAlertFilters.js';
import { parsePnlOptions } from './parsePnlOptions.js';

/** Checks a settings change without writing it, so several changes are all valid before the first is stored. */
export function validateSetting(args: AlertSettingsArgs): void {
  if (args.action === 'min') parseUsd(args.usd);
  if (args.action === 'types') parseTypes(args.types);
  if (args.action === 'method') parsePnlOptions({ method: args.method });
  if (args.action === 'fees' && args.fees !== 'on' && args.fees !== 'off') {
    throw new UserInputError(`'${args.fees}' is not on or off; use --fee-basis on or --fee-basis off.`);
  }
}

import { statSync } from 'node:fs';
import { EXCHANGE_ADD_USAGE, parseExchangeAdd, type ExchangeAddArgs } from '../usecases/addExchangeAccount.js';
import path from 'node:path';
import { parseApiKeyName } from '../usecases/parseApiKeyName.js';
import { parseTypes, parseUsd } from '../usecases/parseAlertFilters.js';
import { parseSignalSetting } from '../usecases/parseSignalSetting.js';
import { parseWebhookUrl } from '../usecases/checkWebhookUrl.js';
import { UserInputError } from '../errors/LookoutError.js';
import { settingsChangeOf, type SettingsChange } from '../usecases/changeSettings.js';
import { parseDuration } from '../usecases/parseDuration.js';
import { parseManualTrade, parseTradeId, type TradeAddArgs } from '../usecases/parseManualTrade.js';
import { parsePnlOptions } from '../usecases/parsePnlOptions.js';
import { parseTrackInput } from '../usecases/parseTrackInput.js';
import { parseTrackManual } from '../usecases/trackManualWallet.js';
import { validateGroupName } from '../usecases/validateNames.js';
import type { ParsedCommand } from './parseCommandLine.js';

/** The data commands: they read and change a workspace's data, in any process that has the database. */
export const DATA_COMMANDS = ['track', 'untrack', 'wallets', 'group', 'trades', 'trade', 'pnl', 'settings', 'alerts', 'gas', 'apikey', 'exchange', 'status'] as const;
export type DataCommand = (typeof DATA_COMMANDS)[number];

export function isDataCommand(name: string | undefined): name is DataCommand {
  return DATA_COMMANDS.includes(name as DataCommand);
}

const GROUP_ACTIONS = ['create', 'delete', 'add', 'remove', 'list'];
export const CHART_TYPES = ['pnl', 'allocation', 'value'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

/**
 * Checks a data command's arguments without opening a database or reaching the running instance, so bad input is
 * answered at once; throws a `UserInputError` sentence. What only the data can tell (an unknown label) is left to
 * the command.
 */
export function checkArguments(name: DataCommand, { values, positionals }: ParsedCommand, cwd: string): void {
  const text = (key: string) => values[key] as string | undefined;
  switch (name) {
    case 'track': {
      if (text('manual') !== undefined) {
        if (positionals[0] !== undefined) throw new UserInputError('A manual wallet has no address; write lookout track --manual <label>.');
        parseTrackManual({ label: text('manual')!, group: text('group') });
        return;
      }
      const address = positionals[0];
      if (address === undefined) throw new UserInputError('Name the address to track: lookout track <address> [--label NAME].');
      parseTrackInput({ address, label: text('label'), group: text('group'), since: text('since'), fromBlock: text('from-block') });
      return;
    }
    case 'untrack':
      if (positionals[0] === undefined) throw new UserInputError('Name the wallet to untrack: lookout untrack <label|address>.');
      return;
    case 'wallets':
      return;
    case 'group':
      checkGroupArguments(positionals);
      return;
    case 'trades':
      if (text('wallet') !== undefined && text('group') !== undefined) throw new UserInputError('Give either --wallet or --group, not both.');
      if (text('since') !== undefined) parseDuration(text('since')!);
      if (values.csv === true && values.json === true) throw new UserInputError('Give either --json or --csv, not both.');
      return;
    case 'trade':
      checkTradeArguments(values, positionals);
      return;
    case 'pnl':
      parsePnlOptions({ wallet: text('wallet'), group: text('group'), window: text('window'), method: text('method') });
      if (text('chart') !== undefined) {
        chartType(text('chart-type'));
        chartSize(text('size'));
        chartFile(text('chart')!, cwd);
      }
      return;
    case 'settings':
      for (const change of settingsChanges(values)) settingsChangeOf(change);
      return;
    case 'alerts':
      checkAlertsArguments(values, positionals);
      return;
    case 'gas':
      return;
    case 'apikey':
      checkApikeyArguments(values, positionals);
      return;
    case 'exchange':
      checkExchangeArguments(values, positionals);
      return;
  }
}

function checkExchangeArguments(values: ParsedCommand['values'], [action, ...rest]: string[]): void {
  if (action === 'add') {
    if (rest.length !== 1) throw new UserInputError(`Name one exchange: lookout ${EXCHANGE_ADD_USAGE}.`);
    parseExchangeAdd(exchangeAddArgs(values, rest[0]));
    return;
  }
  if (action === 'remove') {
    if (rest.length !== 1) throw new UserInputError('Name one account: lookout exchange remove <label>, as lookout exchange list shows it.');
  } else if (action !== 'list') {
    throw new UserInputError(`${action === undefined ? 'lookout exchange needs an action' : `'${action}' is not an exchange action`}; use exchange add, exchange list or exchange remove <label>.`);
  } else if (rest.length > 0) {
    throw new UserInputError(`Unexpected '${rest.join(' ')}' after exchange list.`);
  }
  if (['label', 'key', 'secret', 'passphrase'].some((key) => values[key] !== undefined)) throw new UserInputError('--label, --key, --secret and --passphrase go with exchange add only.');
}

/** The `exchange add` arguments of a command line. */
export function exchangeAddArgs(values: ParsedCommand['values'], exchange: string | undefined): ExchangeAddArgs {
  const text = (key: string) => values[key] as string | undefined;
  return { exchange, label: text('label'), key: text('key'), secret: text('secret'), passphrase: text('passphrase') };
}

const ROUTE_DESTINATION = /^(console|telegram:-?\d{1,20}|discord:\d{1,20})$/;
const ALERTS_USAGE =
  'lookout alerts route <console|telegram:<chat id>|discord:<channel id>> [--group G] [--signal 3/1h|off], lookout alerts route --webhook <https URL> --secret S, lookout alerts list, or lookout alerts remove <id>';

function checkAlertsArguments(values: ParsedCommand['values'], [action, target, ...rest]: string[]): void {
  const text = (key: string) => values[key] as string | undefined;
  if (action !== 'route' && action !== 'routes' && action !== 'list' && action !== 'remove') {
    throw new UserInputError(`${action === undefined ? 'lookout alerts needs an action' : `'${action}' is not an alerts action`}; use ${ALERTS_USAGE}.`);
  }
  const routeOptions = ['webhook', 'secret', 'group', 'min-usd', 'types', 'signal'].filter((key) => values[key] !== undefined);
  if (action !== 'route') {
    if (routeOptions.length > 0) throw new UserInputError(`--${routeOptions[0]} goes with alerts route only.`);
    if (action === 'remove') {
      if (target === undefined || !/^\d{1,9}$/.test(target)) throw new UserInputError('Give the number of the route to remove: lookout alerts remove <id>, as lookout alerts list shows it.');
      if (rest.length > 0) throw new UserInputError(`Unexpected '${rest.join(' ')}' after alerts remove ${target}; remove one route at a time.`);
      return;
    }
    if (target !== undefined) throw new UserInputError(`Unexpected '${target}' after alerts ${action}.`);
    return;
  }
  if (rest.length > 0) throw new UserInputError(`Too many arguments; use ${ALERTS_USAGE}.`);
  if (text('webhook') !== undefined || text('secret') !== undefined) {
    if (target !== undefined) throw new UserInputError(`Unexpected '${target}' after alerts route; a webhook route takes --webhook <url> --secret S only.`);
    if (text('webhook') === undefined || text('secret') === undefined) {
      throw new UserInputError('Give the webhook and its secret: lookout alerts route --webhook <https URL> --secret S.');
    }
    parseWebhookUrl(text('webhook')!);
  } else if (target === undefined || !ROUTE_DESTINATION.test(target)) {
    throw new UserInputError(`'${target ?? ''}' is not a destination; use console, telegram:<chat id>, discord:<channel id>, or --webhook <https URL> --secret S.`);
  }
  if (text('min-usd') !== undefined) parseUsd(text('min-usd')!);
  if (text('types') !== undefined) parseTypes(text('types')!);
  if (text('signal') !== undefined) {
    const signal = parseSignalSetting(text('signal')!);
    if (signal && text('group') === undefined) throw new UserInputError('A signal counts the wallets of a group; add --group G, or leave --signal out.');
  }
}

function checkApikeyArguments(values: ParsedCommand['values'], [action, ref, ...rest]: string[]): void {
  if (action !== 'create' && action !== 'list' && action !== 'revoke') {
    throw new UserInputError(
      `${action === undefined ? 'lookout apikey needs an action' : `'${action}' is not an apikey action`}; use apikey create, apikey list or apikey revoke <id|name>.`,
    );
  }
  if (action === 'revoke') {
    if (ref === undefined) throw new UserInputError('Name the key to revoke: lookout apikey revoke <id|name>; lookout apikey list shows them.');
    if (rest.length > 0) throw new UserInputError(`Unexpected '${rest.join(' ')}' after apikey revoke ${ref}; revoke one key at a time.`);
    return;
  }
  if (ref !== undefined) throw new UserInputError(`Unexpected '${ref}' after apikey ${action}; give a name with --name.`);
  if (action === 'create' && values.name !== undefined) parseApiKeyName(values.name as string);
  if (action !== 'create' && (values.name !== undefined || values['read-only'] === true)) {
    throw new UserInputError('--name and --read-only go with apikey create only.');
  }
}

function checkTradeArguments(values: ParsedCommand['values'], [action, ...rest]: string[]): void {
  if (action === 'remove') {
    if (rest.length > 1) throw new UserInputError(`Unexpected '${rest.slice(1).join(' ')}' after trade remove; write lookout trade remove <id>.`);
    parseTradeId(rest[0]);
    return;
  }
  if (action !== 'add') {
    throw new UserInputError(`${action === undefined ? 'lookout trade needs an action' : `'${action}' is not a trade action`}; use trade add or trade remove; run lookout trade --help to see them.`);
  }
  parseManualTrade(tradeAddArgs(values, rest));
}

/** The `trade add` arguments of a command line. */
export function tradeAddArgs(values: ParsedCommand['values'], [side, amount, token]: string[]): TradeAddArgs {
  const text = (key: string) => values[key] as string | undefined;
  return { side, amount, token, for: text('for'), fee: text('fee'), at: text('at'), wallet: text('wallet'), chain: text('chain'), note: text('note') };
}

function checkGroupArguments([action, groupName, ...wallets]: string[]): void {
  if (action === undefined) {
    throw new UserInputError('lookout group needs an action: create, delete, add, remove or list; run lookout group --help to see them.');
  }
  if (!GROUP_ACTIONS.includes(action)) {
    throw new UserInputError(
      `'${action}' is not a group action; use group create|delete <name>, group add|remove <name> <wallet>..., or group list.`,
    );
  }
  if (action === 'list') {
    if (groupName !== undefined) throw new UserInputError(`Unexpected '${groupName}' after group list; run lookout group --help to see its usage.`);
    return;
  }
  if (groupName === undefined) {
    throw new UserInputError(`Name the group: lookout group ${action} <name>${action === 'add' || action === 'remove' ? ' <wallet>...' : ''}.`);
  }
  if (action === 'create') validateGroupName(groupName);
  if ((action === 'create' || action === 'delete') && wallets.length > 0) {
    throw new UserInputError(`Unexpected '${wallets.join(' ')}' after group ${action}; run lookout group --help to see its usage.`);
  }
}

/** The settings changes a `settings` command line asks for, in the order they are applied. */
export function settingsChanges(values: ParsedCommand['values']): SettingsChange[] {
  const changes: SettingsChange[] = [];
  const alerts = values.alerts as string | undefined;
  if (alerts !== undefined) {
    if (alerts !== 'on' && alerts !== 'off') throw new UserInputError(`'${alerts}' is not on or off; use --alerts on or --alerts off.`);
    changes.push({ action: alerts });
  }
  if (values['min-usd'] !== undefined) changes.push({ action: 'min', usd: values['min-usd'] as string });
  if (values.types !== undefined) changes.push({ action: 'types', types: values.types as string });
  if (values['pnl-method'] !== undefined) changes.push({ action: 'method', method: values['pnl-method'] as string });
  if (values['fee-basis'] !== undefined) changes.push({ action: 'fees', fees: values['fee-basis'] as string });
  return changes;
}

/** The chart a `pnl --chart-type` asks for (PnL by token by default). */
export function chartType(text: string | undefined): ChartType {
  const kind = text ?? 'pnl';
  if (!CHART_TYPES.includes(kind as ChartType)) throw new UserInputError(`'${kind}' is not a chart type; use pnl, allocation or value.`);
  return kind as ChartType;
}

/** The chart size of a `pnl --size` (800x480 by default). */
export function chartSize(text: string | undefined): { width: number; height: number } {
  const value = text ?? '800x480';
  const match = value.match(/^(\d{2,4})x(\d{2,4})$/);
  if (!match) throw new UserInputError(`'${value}' is not a size; write width x height in pixels, such as 800x480.`);
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** The absolute path a chart is written to; its folder must exist, so the answer comes before any work is done. */
export function chartFile(file: string, cwd: string): string {
  const target = path.resolve(cwd, file);
  const folder = path.dirname(target);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw new UserInputError(`The folder ${folder} does not exist; create it first or give --chart a path in an existing folder.`);
  try {
    if (statSync(target).isDirectory()) throw new UserInputError(`${target} is a folder; give --chart a file name such as pnl.png.`);
  } catch (error) {
    if (error instanceof UserInputError) throw error;
  }
  return target;
}

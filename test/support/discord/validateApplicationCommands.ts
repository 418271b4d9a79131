import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';

import type { FormProblem, ReportProblem } from './discordApiError.js';
import { isJsonObject } from './isJsonObject.js';

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
const MAX_CHAT_INPUT_COMMANDS = 100;
const MAX_COMMAND_CHARACTERS = 4000;
const VALUE_TYPES = new Set<number>([
  ApplicationCommandOptionType.String,
  ApplicationCommandOptionType.Integer,
  ApplicationCommandOptionType.Number,
]);
const NESTING_TYPES = new Set<unknown>([ApplicationCommandOptionType.Subcommand, ApplicationCommandOptionType.SubcommandGroup]);
const NOT_AN_OBJECT = 'Only dictionaries may be used in a ModelType';
const WRONG_TYPE = 'APPLICATION_COMMAND_OPTION_TYPE_INVALID';

/**
 * Checks a bulk overwrite the way Discord does, so that a command Discord would refuse with
 * 50035 Invalid Form Body is refused here too.
 */
export function validateApplicationCommands(bodies: unknown): FormProblem[] {
  if (!Array.isArray(bodies)) return [{ path: '_root', code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  const problems = bodies.flatMap((body, index) => validateApplicationCommand(body, `${index}`));
  const seen = new Set<string>();
  let chatInput = 0;
  for (const [index, body] of bodies.entries()) {
    if (!isJsonObject(body)) continue;
    const type = body['type'] ?? ApplicationCommandType.ChatInput;
    if (type === ApplicationCommandType.ChatInput) chatInput++;
    const key = `${String(type)}:${String(body['name'])}`;
    if (seen.has(key)) {
      const message = 'Application command names must be unique';
      problems.push({ path: `${index}.name`, code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message });
    }
    seen.add(key);
  }
  if (chatInput > MAX_CHAT_INPUT_COMMANDS) {
    problems.push({ path: '_root', code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_CHAT_INPUT_COMMANDS} or fewer in length.` });
  }
  return problems;
}

/** Checks one command; `path` prefixes every problem (empty for a single command). */
export function validateApplicationCommand(body: unknown, path = ''): FormProblem[] {
  const problems: FormProblem[] = [];
  const report: ReportProblem = (at, code, message) => void problems.push({ path: at, code, message });
  const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
  if (!isJsonObject(body)) {
    report(path || '_root', 'MODEL_TYPE_CONVERT', NOT_AN_OBJECT);
    return problems;
  }
  const type = body['type'] ?? ApplicationCommandType.ChatInput;
  if (![1, 2, 3, 4].includes(type as number)) report(at('type'), 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4}.');
  const chatInput = type === ApplicationCommandType.ChatInput;
  checkName(body['name'], at('name'), chatInput, report);
  if (chatInput) {
    checkLength(body['description'], at('description'), 1, 100, report);
  } else if (body['description'] !== undefined && body['description'] !== '') {
    report(at('description'), 'APPLICATION_COMMAND_INVALID_DESCRIPTION', 'Only chat input commands have a description.');
  }
  const permissions = body['default_member_permissions'];
  if (permissions !== undefined && permissions !== null && !(typeof permissions === 'string' && /^\d+$/.test(permissions))) {
    report(at('default_member_permissions'), 'BASE_TYPE_BAD_INT', 'Value is not a valid permissions bitfield.');
  }
  if (body['options'] !== undefined) {
    if (chatInput) checkOptions(body['options'], at('options'), 0, report);
    else report(at('options'), 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Only chat input commands have options.');
  }
  if (chatInput && countCharacters(body) > MAX_COMMAND_CHARACTERS) {
    report(path || '_root', 'APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${MAX_COMMAND_CHARACTERS})`);
  }
  return problems;
}

/** Checks one choice of a command option or of an autocomplete answer, for an option of `type`. */
export function checkChoice(choice: unknown, type: number, at: string, report: ReportProblem): void {
  if (!isJsonObject(choice)) return report(at, 'MODEL_TYPE_CONVERT', NOT_AN_OBJECT);
  checkLength(choice['name'], `${at}.name`, 1, 100, report);
  const value = choice['value'];
  if (type === ApplicationCommandOptionType.String) {
    checkLength(value, `${at}.value`, 1, 100, report);
  } else if (type === ApplicationCommandOptionType.Integer) {
    if (!Number.isSafeInteger(value)) report(`${at}.value`, 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not int.`);
  } else if (typeof value !== 'number' || !Number.isFinite(value)) {
    report(`${at}.value`, 'NUMBER_TYPE_COERCE', `Value "${String(value)}" is not a valid number.`);
  }
}

// depth 0: the command's own options; 1: a group's or subcommand's; 2: a grouped subcommand's.
function checkOptions(options: unknown, path: string, depth: number, report: ReportProblem): void {
  if (!Array.isArray(options)) return report(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
  if (options.length > MAX_OPTIONS) report(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_OPTIONS} or fewer in length.`);
  const nests = (option: unknown): boolean => isJsonObject(option) && NESTING_TYPES.has(option['type']);
  if (options.some(nests) && !options.every(nests)) {
    report(path, 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Subcommands and groups cannot be mixed with other options.');
  }
  const names = new Set<string>();
  let optionalSeen = false;
  for (const [index, option] of options.entries()) {
    const at = `${path}.${index}`;
    if (!isJsonObject(option)) {
      report(at, 'MODEL_TYPE_CONVERT', NOT_AN_OBJECT);
      continue;
    }
    const type = option['type'];
    if (typeof type !== 'number' || type < 1 || type > 11) {
      report(`${at}.type`, 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.');
      continue;
    }
    checkName(option['name'], `${at}.name`, true, report);
    checkLength(option['description'], `${at}.description`, 1, 100, report);
    if (typeof option['name'] === 'string') {
      if (names.has(option['name'])) {
        report(`${at}.name`, 'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS', 'Option names must be unique');
      }
      names.add(option['name']);
    }
    const children = option['options'];
    if (type === ApplicationCommandOptionType.SubcommandGroup) {
      if (depth !== 0) report(`${at}.type`, WRONG_TYPE, 'Subcommand groups can only be top-level options.');
      checkOptions(children ?? [], `${at}.options`, depth + 1, report);
      const onlySubcommands = (sub: unknown): boolean => isJsonObject(sub) && sub['type'] === ApplicationCommandOptionType.Subcommand;
      if (Array.isArray(children) && !children.every(onlySubcommands)) {
        report(`${at}.options`, WRONG_TYPE, 'A subcommand group holds subcommands only.');
      }
      continue;
    }
    if (type === ApplicationCommandOptionType.Subcommand) {
      if (depth > 1) report(`${at}.type`, WRONG_TYPE, 'Subcommands cannot be nested this deep.');
      if (children === undefined) continue;
      checkOptions(children, `${at}.options`, depth + 1, report);
      if (Array.isArray(children) && children.some(nests)) report(`${at}.options`, WRONG_TYPE, 'A subcommand cannot hold subcommands.');
      continue;
    }
    if (option['required'] === true && optionalSeen) {
      const message = 'Required options must be placed before non-required options';
      report(`${at}.required`, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message);
    }
    if (option['required'] !== true) optionalSeen = true;
    checkValueOption(option, type, at, report);
  }
}

function checkValueOption(option: Record<string, unknown>, type: number, at: string, report: ReportProblem): void {
  const choices = option['choices'];
  if (choices !== undefined && !VALUE_TYPES.has(type)) {
    report(`${at}.choices`, 'APPLICATION_COMMAND_OPTION_CHOICES_INVALID', 'Only string, integer and number options have choices.');
  }
  if (option['autocomplete'] === true) {
    if (!VALUE_TYPES.has(type)) report(`${at}.autocomplete`, WRONG_TYPE, 'Only string, integer and number options autocomplete.');
    if (Array.isArray(choices) && choices.length > 0) {
      report(`${at}.autocomplete`, 'AUTOCOMPLETE_CHOICES_INVALID', 'Autocomplete cannot be set with choices.');
    }
  }
  if (Array.isArray(choices)) {
    if (choices.length > MAX_CHOICES) report(`${at}.choices`, 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CHOICES} or fewer in length.`);
    choices.forEach((choice, index) => checkChoice(choice, type, `${at}.choices.${index}`, report));
  }
  const numeric = type === ApplicationCommandOptionType.Integer || type === ApplicationCommandOptionType.Number;
  for (const key of ['min_value', 'max_value']) {
    if (option[key] !== undefined && !numeric) report(`${at}.${key}`, WRONG_TYPE, 'Only integer and number options have bounds.');
  }
  for (const key of ['min_length', 'max_length']) {
    const value = option[key];
    if (value === undefined) continue;
    if (type !== ApplicationCommandOptionType.String) {
      report(`${at}.${key}`, WRONG_TYPE, 'Only string options have a minimum or maximum length.');
    } else if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 6000) {
      report(`${at}.${key}`, 'NUMBER_TYPE_MAX', 'int value should be between 0 and 6000.');
    }
  }
  if (option['channel_types'] !== undefined && type !== ApplicationCommandOptionType.Channel) {
    report(`${at}.channel_types`, WRONG_TYPE, 'Only channel options have channel types.');
  }
}

function checkName(name: unknown, path: string, chatInput: boolean, report: ReportProblem): void {
  if (!checkLength(name, path, 1, 32, report)) return;
  const text = name as string;
  if (chatInput && (!NAME.test(text) || text !== text.toLowerCase())) {
    report(path, 'APPLICATION_COMMAND_INVALID_NAME', `Command name is invalid: '${text}' (lowercase letters, digits, - and _ only)`);
  }
}

function checkLength(value: unknown, path: string, min: number, max: number, report: ReportProblem): boolean {
  if (value === undefined || value === null) {
    report(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return false;
  }
  if (typeof value !== 'string') {
    report(path, 'BASE_TYPE_STRING', 'Must be a string.');
    return false;
  }
  const length = [...value].length;
  if (length < min || length > max) {
    report(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    return false;
  }
  return true;
}

// Discord caps the combined length of names, descriptions and choice names and values.
function countCharacters(node: unknown): number {
  if (!isJsonObject(node)) return 0;
  let total = 0;
  for (const key of ['name', 'description']) {
    if (typeof node[key] === 'string') total += node[key].length;
  }
  if (node['value'] !== undefined) total += String(node['value']).length;
  for (const key of ['options', 'choices']) {
    const children = node[key];
    if (Array.isArray(children)) for (const child of children) total += countCharacters(child);
  }
  return total;
}

import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord.js';

import { isJsonObject } from './isJsonObject.js';

/** Something Discord would refuse in a command, at a path like `0.options.1.name`. */
export type FormProblem = { path: string; code: string; message: string };

type Json = Record<string, unknown>;

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
      problems.push({ path: `${index}.name`, code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique` });
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
  const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
  if (!isJsonObject(body)) return [{ path: path || '_root', code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' }];
  const problems: FormProblem[] = [];
  const type = body['type'] ?? ApplicationCommandType.ChatInput;
  if (![1, 2, 3, 4].includes(type as number)) {
    problems.push({ path: at('type'), code: 'BASE_TYPE_CHOICES', message: `Value must be one of {1, 2, 3, 4}.` });
  }
  const chatInput = type === ApplicationCommandType.ChatInput;
  checkName(body['name'], at('name'), chatInput, problems);
  if (chatInput) checkLength(body['description'], at('description'), 1, 100, problems);
  else if (body['description'] !== undefined && body['description'] !== '') {
    problems.push({ path: at('description'), code: 'APPLICATION_COMMAND_INVALID_DESCRIPTION', message: 'Only chat input commands have a description.' });
  }
  const permissions = body['default_member_permissions'];
  if (permissions !== undefined && permissions !== null && !(typeof permissions === 'string' && /^\d+$/.test(permissions))) {
    problems.push({ path: at('default_member_permissions'), code: 'BASE_TYPE_BAD_INT', message: 'Value is not a valid permissions bitfield.' });
  }
  if (body['options'] !== undefined) {
    if (!chatInput) {
      problems.push({ path: at('options'), code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', message: 'Only chat input commands have options.' });
    } else {
      checkOptions(body['options'], at('options'), 0, problems);
    }
  }
  if (chatInput && countCharacters(body) > MAX_COMMAND_CHARACTERS) {
    problems.push({ path: path || '_root', code: 'APPLICATION_COMMAND_TOO_LARGE', message: `Command exceeds maximum size (${MAX_COMMAND_CHARACTERS})` });
  }
  return problems;
}

// depth 0: the command's own options; 1: a group's or subcommand's; 2: a grouped subcommand's.
function checkOptions(options: unknown, path: string, depth: number, problems: FormProblem[]): void {
  if (!Array.isArray(options)) {
    problems.push({ path, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return;
  }
  if (options.length > MAX_OPTIONS) {
    problems.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_OPTIONS} or fewer in length.` });
  }
  const isNesting = (option: unknown): boolean =>
    isJsonObject(option) &&
    (option['type'] === ApplicationCommandOptionType.Subcommand || option['type'] === ApplicationCommandOptionType.SubcommandGroup);
  if (options.some(isNesting) && !options.every(isNesting)) {
    problems.push({ path, code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', message: 'Subcommands and subcommand groups cannot be mixed with other options.' });
  }
  const names = new Set<string>();
  let optionalSeen = false;
  for (const [index, option] of options.entries()) {
    const at = `${path}.${index}`;
    if (!isJsonObject(option)) {
      problems.push({ path: at, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
      continue;
    }
    const type = option['type'];
    if (typeof type !== 'number' || type < 1 || type > 11) {
      problems.push({ path: `${at}.type`, code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.' });
      continue;
    }
    checkName(option['name'], `${at}.name`, true, problems);
    checkLength(option['description'], `${at}.description`, 1, 100, problems);
    if (typeof option['name'] === 'string') {
      if (names.has(option['name'])) {
        problems.push({ path: `${at}.name`, code: 'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS', message: 'Option names must be unique' });
      }
      names.add(option['name']);
    }
    if (type === ApplicationCommandOptionType.SubcommandGroup) {
      if (depth !== 0) problems.push({ path: `${at}.type`, code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Subcommand groups can only be top-level options.' });
      checkOptions(option['options'] ?? [], `${at}.options`, depth + 1, problems);
      if (Array.isArray(option['options']) && !option['options'].every((sub) => isJsonObject(sub) && sub['type'] === ApplicationCommandOptionType.Subcommand)) {
        problems.push({ path: `${at}.options`, code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'A subcommand group holds subcommands only.' });
      }
      continue;
    }
    if (type === ApplicationCommandOptionType.Subcommand) {
      if (depth > 1) problems.push({ path: `${at}.type`, code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Subcommands cannot be nested this deep.' });
      if (option['options'] !== undefined) {
        checkOptions(option['options'], `${at}.options`, depth + 1, problems);
        if (Array.isArray(option['options']) && option['options'].some(isNesting)) {
          problems.push({ path: `${at}.options`, code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'A subcommand cannot hold subcommands.' });
        }
      }
      continue;
    }
    if (option['required'] === true && optionalSeen) {
      problems.push({ path: `${at}.required`, code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    if (option['required'] !== true) optionalSeen = true;
    checkValueOption(option, type, at, problems);
  }
}

function checkValueOption(option: Json, type: number, at: string, problems: FormProblem[]): void {
  const choices = option['choices'];
  if (choices !== undefined && !VALUE_TYPES.has(type)) {
    problems.push({ path: `${at}.choices`, code: 'APPLICATION_COMMAND_OPTION_CHOICES_INVALID', message: 'Only string, integer and number options have choices.' });
  }
  if (option['autocomplete'] === true) {
    if (!VALUE_TYPES.has(type)) {
      problems.push({ path: `${at}.autocomplete`, code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID', message: 'Only string, integer and number options autocomplete.' });
    }
    if (Array.isArray(choices) && choices.length > 0) {
      problems.push({ path: `${at}.autocomplete`, code: 'AUTOCOMPLETE_CHOICES_INVALID', message: 'Autocomplete cannot be set with choices.' });
    }
  }
  if (Array.isArray(choices)) {
    if (choices.length > MAX_CHOICES) {
      problems.push({ path: `${at}.choices`, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_CHOICES} or fewer in length.` });
    }
    for (const [index, choice] of choices.entries()) {
      checkChoice(choice, type, `${at}.choices.${index}`, problems);
    }
  }
  const numeric = type === ApplicationCommandOptionType.Integer || type === ApplicationCommandOptionType.Number;
  for (const key of ['min_value', 'max_value']) {
    if (option[key] !== undefined && !numeric) {
      problems.push({ path: `${at}.${key}`, code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Only integer and number options have a minimum or maximum value.' });
    }
  }
  for (const key of ['min_length', 'max_length']) {
    const value = option[key];
    if (value === undefined) continue;
    if (type !== ApplicationCommandOptionType.String) {
      problems.push({ path: `${at}.${key}`, code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Only string options have a minimum or maximum length.' });
    } else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 6000) {
      problems.push({ path: `${at}.${key}`, code: 'NUMBER_TYPE_MAX', message: 'int value should be between 0 and 6000.' });
    }
  }
  if (option['channel_types'] !== undefined && type !== ApplicationCommandOptionType.Channel) {
    problems.push({ path: `${at}.channel_types`, code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Only channel options have channel types.' });
  }
}

/** Checks one choice of a command option or of an autocomplete answer. */
export function checkChoice(choice: unknown, type: number, at: string, problems: FormProblem[]): void {
  if (!isJsonObject(choice)) {
    problems.push({ path: at, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
    return;
  }
  checkLength(choice['name'], `${at}.name`, 1, 100, problems);
  const value = choice['value'];
  if (type === ApplicationCommandOptionType.String) {
    checkLength(value, `${at}.value`, 1, 100, problems);
  } else if (type === ApplicationCommandOptionType.Integer) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      problems.push({ path: `${at}.value`, code: 'NUMBER_TYPE_COERCE', message: `Value "${String(value)}" is not int.` });
    }
  } else if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.push({ path: `${at}.value`, code: 'NUMBER_TYPE_COERCE', message: `Value "${String(value)}" is not a valid number.` });
  }
}

function checkName(name: unknown, path: string, chatInput: boolean, problems: FormProblem[]): void {
  if (!checkLength(name, path, 1, 32, problems)) return;
  const text = name as string;
  if (chatInput && (!NAME.test(text) || text !== text.toLowerCase())) {
    problems.push({ path, code: 'APPLICATION_COMMAND_INVALID_NAME', message: `Command name is invalid: '${text}' (lowercase letters, digits, - and _ only)` });
  }
}

function checkLength(value: unknown, path: string, min: number, max: number, problems: FormProblem[]): boolean {
  if (value === undefined || value === null) {
    problems.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return false;
  }
  if (typeof value !== 'string') {
    problems.push({ path, code: 'BASE_TYPE_STRING', message: 'Must be a string.' });
    return false;
  }
  if ([...value].length < min || [...value].length > max) {
    problems.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` });
    return false;
  }
  return true;
}

// Discord caps the combined length of names, descriptions and choice names and values.
function countCharacters(node: unknown): number {
  if (!isJsonObject(node)) return 0;
  let total = 0;
  for (const key of ['name', 'description']) {
    if (typeof node[key] === 'string') total += (node[key] as string).length;
  }
  if (node['value'] !== undefined) total += String(node['value']).length;
  for (const key of ['options', 'choices']) {
    const children = node[key];
    if (Array.isArray(children)) for (const child of children) total += countCharacters(child);
  }
  return total;
}

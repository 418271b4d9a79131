import { parseArgs } from 'node:util';
import { UserInputError } from '../errors/LookoutError.js';
import type { CommandSpec, OptionSpec } from './commandTable.js';

/** A command line read against its command's options; option values are strings, booleans or lists of strings. */
export type ParsedCommand = {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
};

/** True when the arguments ask for the command's help (`--help` or `-h` before any `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Reads a command's arguments strictly. An unknown option, a missing value or a value given to a switch is one
 * `UserInputError` sentence naming the option, never the parser's own text.
 */
export function parseCommandLine(spec: CommandSpec, rawArgv: readonly string[]): ParsedCommand {
  const argv = joinPairs(spec, rawArgv);
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, option]) => [
      name,
      { type: option.type, ...(option.multiple ? { multiple: true } : {}), ...(option.default !== undefined ? { default: option.default } : {}) },
    ]),
  );
  for (const [index, arg] of argv.entries()) {
    if (arg === '--') break;
    const name = optionName(arg);
    if (name === undefined) continue;
    const option = spec.options[name];
    if (!option) {
      throw new UserInputError(`lookout ${spec.name} has no option ${clipArgument(arg.split('=')[0]!)}; run lookout ${spec.name} --help to see its options.`);
    }
    const inline = arg.includes('=');
    if (option.type === 'boolean' && inline) {
      throw new UserInputError(`--${name} takes no value; write --${name} alone.`);
    }
    if (option.type === 'string' && !inline) {
      const next = argv[index + 1];
      if (next === undefined || next === '--' || optionName(next) !== undefined) throw missingValue(name, option);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch {
    // Note: the checks above catch what parseArgs refuses; this keeps its wording out of any answer regardless.
    throw new UserInputError(`The options of lookout ${spec.name} could not be read; run lookout ${spec.name} --help to see its usage.`);
  }
  const values = parsed.values as ParsedCommand['values'];
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '' && spec.options[name]?.type === 'string') {
      throw missingValue(name, spec.options[name]!);
    }
  }
  if (spec.maxPositionals !== undefined && parsed.positionals.length > spec.maxPositionals) {
    const extra = parsed.positionals.slice(spec.maxPositionals).join(' ');
    throw new UserInputError(`Unexpected '${clipArgument(extra)}' after lookout ${spec.name}; run lookout ${spec.name} --help to see its usage.`);
  }
  return { values, positionals: parsed.positionals };
}

/** `--for 20 USD` becomes `--for=20 USD`, for the options that take an amount and an asset. */
function joinPairs(spec: CommandSpec, argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    joined.push(arg);
    if (arg === '--') {
      joined.push(...argv.slice(index + 1));
      break;
    }
    const name = optionName(arg);
    const option = name === undefined ? undefined : spec.options[name];
    if (!option?.pair || arg.includes('=')) continue;
    const [amount, asset] = [argv[index + 1], argv[index + 2]];
    const isValue = (text: string | undefined) => text !== undefined && text !== '--' && optionName(text) === undefined;
    if (!isValue(amount) || (!amount!.trim().includes(' ') && !isValue(asset))) {
      throw new UserInputError(`--${name} needs an amount and an asset, as in --${name} ${option.value ?? '20 USD'}.`);
    }
    joined[joined.length - 1] = `--${name}=${amount!.trim().includes(' ') ? amount! : `${amount} ${asset}`}`;
    index += amount!.trim().includes(' ') ? 1 : 2;
  }
  return joined;
}

/** The long option an argument names (`--label` or `--label=x` name `label`), or undefined for a value. */
function optionName(arg: string): string | undefined {
  if (arg.startsWith('--') && arg.length > 2) return arg.slice(2).split('=')[0];
  // Note: a lone '-' and negative-looking values are not options; any other '-x' is, and none is defined.
  if (/^-[A-Za-z]/.test(arg)) return arg.slice(1);
  return undefined;
}

function missingValue(name: string, option: OptionSpec): UserInputError {
  const example = option.value?.split('|')[0] ?? 'VALUE';
  return new UserInputError(`--${name} needs a value, as in --${name} ${example}.`);
}

/** Arguments quoted back in an answer are shortened, so a pasted page does not come back whole. */
function clipArgument(text: string): string {
  const chars = [...text];
  return chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : text;
}

import { UserInputError } from '../errors/LookoutError.js';
import { quoteInput } from '../text/clipText.js';

/** Checks a wallet label: 1 to 32 printable characters, not an address (labels and addresses both name wallets). */
export function validateLabel(label: string): string {
  const value = label.trim();
  if (value.length === 0 || value.length > 32) {
    throw new UserInputError(`The label '${quoteInput(value)}' must be 1 to 32 characters long; pick a shorter label.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(value)) {
    throw new UserInputError(`The label '${quoteInput(value)}' contains spaces or control characters; use one word such as whale_1.`);
  }
  if (/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw new UserInputError(`The label '${quoteInput(value)}' looks like an address; pick a name such as whale_1.`);
  }
  return value;
}

/** Checks a group name: 1 to 32 letters, digits, '_', '-' or '.'. */
export function validateGroupName(name: string): string {
  const value = name.trim();
  if (!/^[\p{L}\p{N}_.-]{1,32}$/u.test(value)) {
    throw new UserInputError(
      `'${quoteInput(value)}' is not a group name: use 1 to 32 letters, digits, '_', '-' or '.', for example whales.`,
    );
  }
  return value;
}

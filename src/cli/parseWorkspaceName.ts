import type { WorkspaceRef } from '../db/workspaceQueries.js';
import { UserInputError } from '../errors/LookoutError.js';

/**
 * Reads a workspace name as typed on the command line: `discord:<guild id>`, `telegram:<chat id>`,
 * or any other name for a local workspace (default `local`).
 */
export function parseWorkspaceName(name: string): WorkspaceRef {
  const value = name.trim();
  const match = value.match(/^(discord|telegram):(-?\d+)$/);
  if (match) {
    const platform = match[1] as 'discord' | 'telegram';
    return { id: value, platform, externalId: match[2]! };
  }
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value) || /^(discord|telegram):/.test(value)) {
    throw new UserInputError(
      `'${value}' is not a workspace name: use letters, digits, '.', '_' or '-', or discord:<guild id> / telegram:<chat id>.`,
    );
  }
  return { id: value, platform: 'local', externalId: value };
}

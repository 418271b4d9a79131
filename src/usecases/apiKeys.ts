import { createApiKey as storeApiKey, listApiKeys as loadApiKeys, revokeApiKey as storeRevocation, type ApiKey } from '../db/apiKeyQueries.js';
import { parseApiKeyName } from './parseApiKeyName.js';
import type { UseCaseDeps } from './UseCaseDeps.js';

export type { ApiKey } from '../db/apiKeyQueries.js';

type Deps = Pick<UseCaseDeps, 'db' | 'workspaceId' | 'actor'>;

/** Creates an API key of the workspace; the answer holds the only copy of the key, which is stored hashed. */
export async function createApiKey(deps: Deps, args: { name?: string | undefined; readOnly: boolean }): Promise<{ key: ApiKey; secret: string }> {
  const name = args.name === undefined ? undefined : parseApiKeyName(args.name);
  return storeApiKey(deps.db, { workspaceId: deps.workspaceId, name, readOnly: args.readOnly, actor: deps.actor });
}

/** The workspace's API keys, revoked ones included; never the keys themselves. */
export async function listApiKeys(deps: Pick<Deps, 'db' | 'workspaceId'>): Promise<ApiKey[]> {
  return loadApiKeys(deps.db, deps.workspaceId);
}

/** Revokes an API key of the workspace by its id or name. */
export async function revokeApiKey(deps: Deps, ref: string): Promise<ApiKey> {
  return storeRevocation(deps.db, { workspaceId: deps.workspaceId, ref, actor: deps.actor });
}

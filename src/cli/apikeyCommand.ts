import type { CommandContext } from '../bot/commandContext.js';
import type { Reply } from '../bot/reply.js';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey } from '../usecases/apiKeys.js';

export type ApikeyArgs = { action: 'create'; name?: string | undefined; readOnly: boolean } | { action: 'list' } | { action: 'revoke'; ref: string };

/** `lookout apikey create|list|revoke`: the keys of the HTTP API; a new key is shown once, as the last line. */
export async function apikeyCommand(ctx: CommandContext, args: ApikeyArgs): Promise<Reply> {
  switch (args.action) {
    case 'create': {
      const { key, secret } = await createApiKey(ctx, args);
      return {
        title: 'API key created',
        tone: 'success',
        lines: [
          `#${key.id} '${key.name}' for workspace ${key.workspaceId}${key.readOnly ? ', read-only' : ''}; send it as Authorization: Bearer <key>.`,
          'Keep it now: only its hash is stored, and it cannot be shown again. The key:',
          secret,
        ],
        data: { ...keyJson(key), key: secret },
      };
    }
    case 'list': {
      const keys = await listApiKeys(ctx);
      return {
        title: `API keys (${keys.length})`,
        tone: 'info',
        lines: keys.length
          ? keys.map(
              (key) =>
                `#${key.id} ${key.name}${key.readOnly ? ' (read-only)' : ''}: created ${day(key.createdAt)} by ${key.createdBy}, ${
                  key.revokedAt ? `revoked ${day(key.revokedAt)}` : key.lastUsedAt ? `last used ${day(key.lastUsedAt)}` : 'never used'
                }`,
            )
          : ['No API keys yet; create one with lookout apikey create --name NAME.'],
        data: keys.map(keyJson),
      };
    }
    case 'revoke': {
      const key = await revokeApiKey(ctx, args.ref);
      return { tone: 'success', lines: [`Revoked API key #${key.id} '${key.name}'; requests with it are refused from now on.`], data: keyJson(key) };
    }
  }
}

function keyJson(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    workspace: key.workspaceId,
    readOnly: key.readOnly,
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

function day(at: Date): string {
  return at.toISOString().slice(0, 16).replace('T', ' ');
}

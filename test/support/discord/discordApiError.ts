/** Something Discord would refuse in a request body, at a path like `embeds.0.fields.1.value`. */
export type FormProblem = { path: string; code: string; message: string };

/** Notes one form problem; validators take one to collect what they find. */
export type ReportProblem = (path: string, code: string, message: string) => void;

/** An error answer of the Discord API: thrown by a route, sent as its HTTP status and JSON body. */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** Discord's nested `errors` object, for 50035 Invalid Form Body. */
    readonly errors?: unknown,
  ) {
    super(message);
    this.name = 'DiscordApiError';
  }

  toJSON(): Record<string, unknown> {
    return this.errors === undefined
      ? { message: this.message, code: this.code }
      : { message: this.message, code: this.code, errors: this.errors };
  }
}

/** The errors Discord answers with, by the codes it documents. */
export const discordErrors = {
  unauthorized: () => new DiscordApiError(401, 0, '401: Unauthorized'),
  notFound: () => new DiscordApiError(404, 0, '404: Not Found'),
  unknownApplication: () => new DiscordApiError(404, 10002, 'Unknown Application'),
  unknownChannel: () => new DiscordApiError(404, 10003, 'Unknown Channel'),
  unknownMessage: () => new DiscordApiError(404, 10008, 'Unknown Message'),
  unknownWebhook: () => new DiscordApiError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => new DiscordApiError(404, 10062, 'Unknown interaction'),
  missingAccess: () => new DiscordApiError(403, 50001, 'Missing Access'),
  missingPermissions: () => new DiscordApiError(403, 50013, 'Missing Permissions'),
  emptyMessage: () => new DiscordApiError(400, 50006, 'Cannot send an empty message'),
  nonTextChannel: () => new DiscordApiError(400, 50008, 'Cannot send messages in a non-text channel'),
  alreadyAcknowledged: () => new DiscordApiError(400, 40060, 'Interaction has already been acknowledged.'),
  entityTooLarge: () => new DiscordApiError(413, 40005, 'Request entity too large'),
  invalidJson: () => new DiscordApiError(400, 50109, 'The request body contains invalid JSON.'),
  /** `problems` maps a path like `embeds.0.fields.1.value` to what is wrong there. */
  invalidFormBody: (problems: readonly FormProblem[]) =>
    new DiscordApiError(400, 50035, 'Invalid Form Body', nestErrors(problems)),
} as const;

// Discord nests form errors by path segment, ending in `_errors`; discord.js flattens them
// back into `path[CODE]: message` lines of DiscordAPIError.message.
function nestErrors(problems: readonly FormProblem[]): unknown {
  const root: Record<string, unknown> = {};
  for (const { path, code, message } of problems) {
    let node = root;
    for (const segment of path.split('.')) {
      node = (node[segment] ??= {}) as Record<string, unknown>;
    }
    ((node['_errors'] ??= []) as unknown[]).push({ code, message });
  }
  return root;
}

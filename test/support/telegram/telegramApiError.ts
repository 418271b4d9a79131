/** The `parameters` member Telegram adds to some errors. */
export type ResponseParameters = { retry_after?: number; migrate_to_chat_id?: number };

/** The body of a failed Bot API call. */
export type BotApiErrorBody = { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

/** A failed Bot API call; it is answered with HTTP status `errorCode`, as api.telegram.org does. */
export class TelegramApiError extends Error {
  override name = 'TelegramApiError';
  readonly errorCode: number;
  readonly description: string;
  readonly parameters: ResponseParameters | undefined;

  constructor(errorCode: number, description: string, parameters?: ResponseParameters) {
    super(description);
    this.errorCode = errorCode;
    this.description = description;
    this.parameters = parameters;
  }

  /** The JSON body Telegram sends. */
  toJSON(): BotApiErrorBody {
    const body: BotApiErrorBody = { ok: false, error_code: this.errorCode, description: this.description };
    if (this.parameters !== undefined) body.parameters = this.parameters;
    return body;
  }
}

/** 400, for a call Telegram refuses as malformed: `Bad Request: <detail>`. */
export function badRequest(detail: string): TelegramApiError {
  return new TelegramApiError(400, `Bad Request: ${detail}`);
}

/** 403, for a chat the bot may not write to: `Forbidden: <detail>`. */
export function forbidden(detail: string): TelegramApiError {
  return new TelegramApiError(403, `Forbidden: ${detail}`);
}

/** 409, for a second poller or polling while a webhook is set. */
export function conflict(detail: string): TelegramApiError {
  return new TelegramApiError(409, `Conflict: ${detail}`);
}

/** 429 with `parameters.retry_after`, for a flood-limited call. */
export function tooManyRequests(retryAfterSeconds: number): TelegramApiError {
  return new TelegramApiError(429, `Too Many Requests: retry after ${retryAfterSeconds}`, {
    retry_after: retryAfterSeconds,
  });
}

/** What the caller of a failed operation should do about it. */
export type ErrorAction = 'tell_user' | 'retry' | 'stop';

/**
 * The one base error of Lookout: a short sentence for people in `message`,
 * details for operators in `details`, and the underlying `cause`.
 */
export class LookoutError extends Error {
  override name = 'LookoutError';
  readonly action: ErrorAction;
  readonly details: string | undefined;

  constructor(message: string, options: { action: ErrorAction; details?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.action = options.action;
    this.details = options.details;
  }
}

/** Bad input from a person: the message says what was wrong and what to type instead. */
export class UserInputError extends LookoutError {
  override name = 'UserInputError';
  constructor(message: string, options: { details?: string; cause?: unknown } = {}) {
    super(message, { ...options, action: 'tell_user' });
  }
}

/** Invalid configuration: the message names the field and the fix; the process exits with code 2. */
export class ConfigError extends LookoutError {
  override name = 'ConfigError';
  constructor(message: string, options: { details?: string; cause?: unknown } = {}) {
    super(message, { ...options, action: 'stop' });
  }
}

/** A fault outside Lookout (RPC, network, rate limit) that delays work and is worth retrying. */
export class RetryableError extends LookoutError {
  override name = 'RetryableError';
  constructor(message: string, options: { details?: string; cause?: unknown } = {}) {
    super(message, { ...options, action: 'retry' });
  }
}

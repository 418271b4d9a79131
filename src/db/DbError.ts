/**
 * What a query refused, as data: a code and the facts, never a sentence for people. The use case or the
 * renderer that called the query words it (src/bot/commands/dbErrorMessage.ts for the CLI and chats).
 */
export abstract class DbError extends Error {
  abstract readonly code: 'not_found' | 'conflict' | 'limit_reached';
}

/** What a lookup did not find. */
export type NotFoundFacts =
  | { entity: 'wallet'; ref: string; chain?: string | undefined }
  | { entity: 'group'; name: string }
  /** A wallet named for removal from a group it is not in. */
  | { entity: 'group_member'; ref: string; group: string }
  | { entity: 'alert_route'; id: number }
  | { entity: 'manual_trade'; id: number }
  | { entity: 'exchange_account'; label: string };

/** A row the workspace has no such thing as. */
export class DbNotFound extends DbError {
  override name = 'DbNotFound';
  readonly code = 'not_found' as const;
  constructor(readonly facts: NotFoundFacts) {
    super(`${facts.entity} not found: ${JSON.stringify(facts)}`);
  }
}

/** What a write would have broken: a name or an address already taken. */
export type ConflictFacts =
  /** The label names another address. */
  | { entity: 'wallet'; reason: 'label_taken'; label: string; address: string; chain: string }
  /** The address is tracked under another label. */
  | { entity: 'wallet'; reason: 'tracked_as'; address: string; label: string }
  /** The address is tracked on every chain asked already. */
  | { entity: 'wallet'; reason: 'already_tracked'; address: string; chains: string[]; label: string }
  | { entity: 'group'; reason: 'name_taken'; name: string };

export class DbConflict extends DbError {
  override name = 'DbConflict';
  readonly code = 'conflict' as const;
  constructor(readonly facts: ConflictFacts) {
    super(`${facts.entity} conflict (${facts.reason}): ${JSON.stringify(facts)}`);
  }
}

/** A workspace already has the most rows of a kind it may have. */
export type LimitFacts = { entity: 'wallet' | 'group'; max: number };

export class DbLimitReached extends DbError {
  override name = 'DbLimitReached';
  readonly code = 'limit_reached' as const;
  constructor(readonly facts: LimitFacts) {
    super(`${facts.entity} limit of ${facts.max} reached`);
  }
}

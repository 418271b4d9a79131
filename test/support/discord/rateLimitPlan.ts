/** How a planned 429 looks: seconds to wait, and whether it blocks every route. */
export type RateLimitOptions = { retryAfter: number; global?: boolean };

/** A planned 429 and, once it happened, when and where, and when the client came back. */
export type RateLimitRecord = {
  /** What was asked for: `'POST'`, `'/channels/1/messages'` or `'POST /channels/1/messages'`. */
  rule: string;
  retryAfter: number;
  global: boolean;
  /** The request that got the 429; null until one matched. */
  limited: { method: string; path: string; at: number } | null;
  /** When the same method and path arrived again after the 429; null until then. */
  retriedAt: number | null;
  /** Resolves when the retry arrives. */
  retried: Promise<void>;
};

/** The 429s a test planned, matched against incoming requests in order. */
export type RateLimitPlan = {
  add(rule: string, options: RateLimitOptions): RateLimitRecord;
  /** Notes a request (a retry of an earlier 429?) and takes the planned 429 it matches, if any. */
  take(method: string, path: string, at: number): RateLimitRecord | undefined;
  all(): readonly RateLimitRecord[];
};

type Rule = { method: string | null; prefix: string };
type Entry = { record: RateLimitRecord; rule: Rule; markRetried: () => void };

/** Creates an empty plan. */
export function createRateLimitPlan(): RateLimitPlan {
  const entries: Entry[] = [];

  return {
    add(rule, options) {
      if (!(options.retryAfter >= 0)) throw new Error(`retryAfter must be seconds >= 0, got ${options.retryAfter}`);
      let markRetried = (): void => undefined;
      const retried = new Promise<void>((resolve) => (markRetried = resolve));
      const record: RateLimitRecord = {
        rule,
        retryAfter: options.retryAfter,
        global: options.global ?? false,
        limited: null,
        retriedAt: null,
        retried,
      };
      entries.push({ record, rule: parseRule(rule), markRetried });
      return record;
    },
    take(method, path, at) {
      for (const entry of entries) {
        const { limited } = entry.record;
        if (limited !== null && entry.record.retriedAt === null && limited.method === method && limited.path === path) {
          entry.record.retriedAt = at;
          entry.markRetried();
        }
      }
      const entry = entries.find(({ record, rule }) => record.limited === null && matches(rule, method, path));
      if (entry === undefined) return undefined;
      entry.record.limited = { method, path, at };
      return entry.record;
    },
    all: () => entries.map((entry) => entry.record),
  };
}

function parseRule(rule: string): Rule {
  const match = /^(?:(GET|POST|PUT|PATCH|DELETE)\b\s*)?(\/\S*)?$/i.exec(rule.trim());
  if (match === null || (match[1] === undefined && match[2] === undefined)) {
    throw new Error(`A rate-limit rule is a method, a path prefix or both ('POST /channels/1/messages'), got '${rule}'`);
  }
  return { method: match[1]?.toUpperCase() ?? null, prefix: match[2] ?? '/' };
}

function matches(rule: Rule, method: string, path: string): boolean {
  return (rule.method === null || rule.method === method) && path.startsWith(rule.prefix);
}

/** Counts requests per key in windows of a minute. */
export type RateLimiter = {
  /** Counts one request of a key; answers how many seconds to wait when the key has used its minute. */
  take(key: string | number, now?: number): { allowed: true } | { allowed: false; retryAfterSeconds: number };
};

const WINDOW_MS = 60_000;

/**
 * A fixed window per key: at most `perMinute` requests from the first request of a window until a minute later.
 * Note: kept in memory, so each Lookout instance counts its own requests.
 */
export function createRateLimiter(perMinute: number): RateLimiter {
  const windows = new Map<string | number, { start: number; count: number }>();
  return {
    take(key, now = Date.now()) {
      let window = windows.get(key);
      if (!window || now - window.start >= WINDOW_MS) {
        // Forget windows that are over, so the map stays as small as the keys in use.
        if (windows.size > 10_000) for (const [other, entry] of windows) if (now - entry.start >= WINDOW_MS) windows.delete(other);
        window = { start: now, count: 0 };
        windows.set(key, window);
      }
      if (window.count >= perMinute) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)) };
      }
      window.count++;
      return { allowed: true };
    },
  };
}

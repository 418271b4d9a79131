import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './createRateLimiter.js';

describe('createRateLimiter', () => {
  it('behavior: allows the limit per minute per key, then says how long to wait until the window ends', () => {
    const limiter = createRateLimiter(2);
    expect(limiter.take(1, 0)).toEqual({ allowed: true });
    expect(limiter.take(1, 10_000)).toEqual({ allowed: true });
    expect(limiter.take(1, 20_000)).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect(limiter.take(2, 20_000)).toEqual({ allowed: true });
    expect(limiter.take(1, 59_999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take(1, 60_000)).toEqual({ allowed: true });
  });
});

import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { followLoop } from './followLoop.js';

const logger = pino({ level: 'silent' });

/** Collects what the loop yields until `until` says stop, then aborts it. */
async function run(options: Omit<Parameters<typeof followLoop<number>>[0], 'signal' | 'logger'>, until: (seen: number[]) => boolean): Promise<number[]> {
  const controller = new AbortController();
  const seen: number[] = [];
  for await (const event of followLoop({ ...options, signal: controller.signal, logger })) {
    seen.push(event);
    if (until(seen)) controller.abort();
  }
  return seen;
}

describe('followLoop', () => {
  it('behavior: runs a pass, pauses for the idle time, runs again; the first pass is marked', async () => {
    const firsts: boolean[] = [];
    let round = 0;
    const started = Date.now();
    const seen = await run(
      {
        async *pass(first) {
          firsts.push(first);
          yield round++;
        },
        idleMs: () => 50,
        backoff: { baseMs: 10, maxMs: 100 },
      },
      (events) => events.length === 3,
    );
    expect(seen).toEqual([0, 1, 2]);
    expect(firsts).toEqual([true, false, false]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('error: a failing pass is retried with growing backoff, and the loop goes on once it passes', async () => {
    const at: number[] = [];
    let calls = 0;
    const seen = await run(
      {
        async *pass() {
          at.push(Date.now());
          calls++;
          if (calls <= 3) throw new Error('node down');
          yield calls;
        },
        idleMs: () => 10_000,
        backoff: { baseMs: 40, maxMs: 1_000 },
        random: () => 1,
      },
      (events) => events.length === 1,
    );
    expect(seen).toEqual([4]);
    const gaps = at.slice(1).map((time, i) => time - at[i]!);
    // Backoff doubles: 80, 160, 320 ms (base · 2^failures with the jitter at its top). Note: a timer never fires
    // early but may fire late on a busy machine, so each pause is checked against its floor, not against the last.
    expect(gaps[0]).toBeGreaterThanOrEqual(75);
    expect(gaps[1]).toBeGreaterThanOrEqual(155);
    expect(gaps[2]).toBeGreaterThanOrEqual(315);
  });

  it('behavior: a wake-up cuts an idle pause short, and one during a pass runs the next pass at once', async () => {
    let wake: () => void = () => {};
    let round = 0;
    const started = Date.now();
    const seen = await run(
      {
        async *pass() {
          const mine = round++;
          if (mine === 0) setTimeout(() => wake(), 30);
          if (mine === 1) wake();
          yield mine;
        },
        idleMs: () => 60_000,
        backoff: { baseMs: 10, maxMs: 100 },
        subscribe(callback) {
          wake = callback;
          return () => {};
        },
      },
      (events) => events.length === 3,
    );
    expect(seen).toEqual([0, 1, 2]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('behavior: stop (abort) ends a long pause at once and unsubscribes', async () => {
    const controller = new AbortController();
    let unsubscribed = false;
    const loop = followLoop({
      signal: controller.signal,
      logger,
      async *pass() {
        yield 1;
      },
      idleMs: () => 60_000,
      backoff: { baseMs: 10, maxMs: 100 },
      subscribe: () => () => void (unsubscribed = true),
    });
    const started = Date.now();
    const done = (async () => {
      const seen: number[] = [];
      for await (const event of loop) seen.push(event);
      return seen;
    })();
    setTimeout(() => controller.abort(), 50);
    expect(await done).toEqual([1]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(unsubscribed).toBe(true);
  });

  it('behavior: a wake-up does not cut a backoff short', async () => {
    let wake: () => void = () => {};
    const at: number[] = [];
    const seen = await run(
      {
        async *pass() {
          at.push(Date.now());
          if (at.length === 1) {
            setTimeout(() => wake(), 20);
            throw new Error('fails once');
          }
          yield at.length;
        },
        idleMs: () => 60_000,
        backoff: { baseMs: 150, maxMs: 1_000 },
        random: () => 1,
        subscribe(callback) {
          wake = callback;
          return () => {};
        },
      },
      (events) => events.length === 1,
    );
    expect(seen).toEqual([2]);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(250);
  });
});

import { describe, expect, it } from 'vitest';
import { mergeFollowEvents } from './mergeFollowEvents.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Yields `values` each after its delay, noting when it is asked for the next one. */
async function* timed(name: string, values: [string, number][], asked: string[]): AsyncGenerator<string, void, undefined> {
  for (const [value, ms] of values) {
    asked.push(name);
    await sleep(ms);
    yield value;
  }
}

describe('mergeFollowEvents', () => {
  it('behavior: events come as each source gives them, and a source is asked again only after its event was consumed', async () => {
    const asked: string[] = [];
    const seen: string[] = [];
    for await (const event of mergeFollowEvents(
      timed('main', [['m1', 60], ['m2', 60]], asked),
      timed('side', [['s1', 10], ['s2', 10], ['s3', 10]], asked),
    )) {
      seen.push(event);
      if (event === 's1') expect(asked.filter((name) => name === 'side')).toHaveLength(1);
    }
    expect(seen.slice(0, 4)).toEqual(['s1', 's2', 's3', 'm1']);
    expect(seen).toContain('m2');
  });

  it('behavior: the stream ends with the main source and closes the side one', async () => {
    let sideClosed = false;
    async function* endless(): AsyncGenerator<string, void, undefined> {
      try {
        for (;;) {
          await sleep(5);
          yield 'tick';
        }
      } finally {
        sideClosed = true;
      }
    }
    const seen: string[] = [];
    for await (const event of mergeFollowEvents(timed('main', [['only', 30]], []), endless())) seen.push(event);
    expect(seen[seen.length - 1]).toBe('only');
    await sleep(20);
    expect(sideClosed).toBe(true);
  });

  it('error: a source that fails fails the stream', async () => {
    async function* failing(): AsyncGenerator<string, void, undefined> {
      await sleep(5);
      throw new Error('side broke');
    }
    const run = async () => {
      for await (const _ of mergeFollowEvents(timed('main', [['late', 200]], []), failing())) void _;
    };
    await expect(run()).rejects.toThrow('side broke');
  });
});

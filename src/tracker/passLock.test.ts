import { describe, expect, it } from 'vitest';
import { createPassLock } from './passLock.js';

describe('createPassLock', () => {
  it('behavior: a second pass waits until the first has yielded everything and ended', async () => {
    const lock = createPassLock();
    const order: string[] = [];
    async function* pass(name: string) {
      order.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield name;
      order.push(`${name} end`);
    }
    const drain = async (name: string) => {
      for await (const event of lock.run(() => pass(name))) order.push(`${event} event`);
    };
    await Promise.all([drain('a'), drain('b')]);
    expect(order).toEqual(['a start', 'a event', 'a end', 'b start', 'b event', 'b end']);
  });

  it('behavior: a pass left early (its consumer stopped) releases the lock', async () => {
    const lock = createPassLock();
    async function* endless() {
      for (let i = 0; ; i++) yield i;
    }
    for await (const i of lock.run(endless)) if (i === 2) break;
    const seen: number[] = [];
    for await (const i of lock.run(endless)) {
      seen.push(i);
      if (i === 1) break;
    }
    expect(seen).toEqual([0, 1]);
  });
});

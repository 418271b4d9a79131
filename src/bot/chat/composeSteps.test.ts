import { describe, expect, it } from 'vitest';
import { composeSteps, type Step } from './composeSteps.js';

describe('composeSteps', () => {
  const trace = (name: string, seen: string[]): Step<unknown> => async (_ctx, next) => {
    seen.push(`${name} in`);
    await next();
    seen.push(`${name} out`);
  };

  it('behavior: steps run in order, each around the ones after it', async () => {
    const seen: string[] = [];
    await composeSteps([trace('a', seen), trace('b', seen)])({});
    expect(seen).toEqual(['a in', 'b in', 'b out', 'a out']);
  });

  it('behavior: a step that answers without calling next stops the ones after it', async () => {
    const seen: string[] = [];
    await composeSteps([trace('a', seen), async () => void seen.push('refused'), trace('c', seen)])({});
    expect(seen).toEqual(['a in', 'refused', 'a out']);
  });

  it('error: an error thrown by a later step reaches the outer step, the way an error boundary catches it', async () => {
    const caught: unknown[] = [];
    const boundary: Step<unknown> = async (_ctx, next) => {
      try {
        await next();
      } catch (error) {
        caught.push(error);
      }
    };
    await composeSteps([boundary, async () => Promise.reject(new Error('boom'))])({});
    expect(caught).toEqual([new Error('boom')]);
  });
});

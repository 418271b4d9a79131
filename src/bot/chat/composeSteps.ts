/** One step of a request's way through a chat adapter: it does its part, then calls `next` to go on, or answers and stops. */
export type Step<C> = (ctx: C, next: () => Promise<void>) => Promise<void>;

/** Runs steps in order, each wrapping the ones after it, the way grammY runs its middleware. */
export function composeSteps<C>(steps: readonly Step<C>[]): (ctx: C) => Promise<void> {
  const run = async (ctx: C, index: number): Promise<void> => {
    const step = steps[index];
    if (step) await step(ctx, () => run(ctx, index + 1));
  };
  return (ctx) => run(ctx, 0);
}

type Next<A, B> = { from: 'main'; result: IteratorResult<A> } | { from: 'side'; result: IteratorResult<B> };

/**
 * Yields the events of two sources as they come, in one stream for one consumer. Each source is asked for its next
 * event only once its last one was consumed, so a source that resumes from what was stored keeps doing so. The stream
 * ends when `main` ends (a `side` that ends early just stops adding); either one failing fails it. Both are closed
 * when it ends, without waiting for a read in flight.
 */
export async function* mergeFollowEvents<A, B>(main: AsyncIterable<A>, side: AsyncIterable<B>): AsyncGenerator<A | B, void, undefined> {
  const a = main[Symbol.asyncIterator]();
  const b = side[Symbol.asyncIterator]();
  const askMain = (): Promise<Next<A, B>> => quiet(a.next().then((result) => ({ from: 'main' as const, result })));
  const askSide = (): Promise<Next<A, B>> => quiet(b.next().then((result) => ({ from: 'side' as const, result })));
  let mainNext: Promise<Next<A, B>> | null = askMain();
  let sideNext: Promise<Next<A, B>> | null = askSide();
  try {
    while (mainNext) {
      const next: Next<A, B> = await Promise.race(sideNext ? [mainNext, sideNext] : [mainNext]);
      if (next.from === 'main') {
        if (next.result.done) return;
        mainNext = null;
        yield next.result.value;
        mainNext = askMain();
      } else {
        sideNext = null;
        if (next.result.done) continue;
        yield next.result.value;
        sideNext = askSide();
      }
    }
  } finally {
    void b.return?.().catch(() => undefined);
    void a.return?.().catch(() => undefined);
  }
}

/** The same promise, marked as handled: a source failing while the other's event is consumed is seen at the next race. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

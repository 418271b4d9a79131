/** Runs a driver's passes one at a time: a pass asked for while another runs waits for it to end. */
export type PassLock = {
  /** The events of `pass`, produced only while no other pass of this lock is running. */
  run<E>(pass: () => AsyncIterable<E>): AsyncGenerator<E, void, undefined>;
};

export function createPassLock(): PassLock {
  let tail: Promise<void> = Promise.resolve();
  return {
    async *run(pass) {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => (release = resolve));
      await previous;
      try {
        yield* pass();
      } finally {
        release();
      }
    },
  };
}

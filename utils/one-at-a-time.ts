/**
 * Work that must not interleave at its awaits, run one piece after another in the order asked. Pure. A piece that
 * fails does not hold up the next one; its caller gets the failure.
 */
export interface OneAtATime {
  /** Runs `work` after everything asked before it has ended. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves once everything asked so far has ended. */
  settled(): Promise<void>;
}

export function oneAtATime(): OneAtATime {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(work) {
      const done = tail.then(work);
      tail = done.catch(() => undefined);
      return done;
    },
    async settled() {
      await tail;
    },
  };
}

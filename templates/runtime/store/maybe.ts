/**
 * Values that may come later. A `StateStore` method answers with a value (the in-memory store) or a
 * promise (a network store); the pipeline waits only when it is given a promise, so the in-memory
 * store costs no promise, no microtask and no allocation beyond the callback.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `fn(value)` now for a value, once it resolves for a promise. */
export function then<T, U>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/** A write nobody waits for (the journal, a token issued inside a template): a failure is reported, not thrown. */
export function detached(result: MaybePromise<unknown>): void {
  if (result instanceof Promise) {
    result.catch((err: unknown) =>
      process.emitWarning(`mockgen: state store write failed: ${(err as Error)?.message ?? String(err)}`),
    );
  }
}

/**
 * Every wait the harness makes has a bound: `withinBound` ends a promise's
 * wait at a time limit or at an abort signal, whatever the work itself does.
 * The work is not cancelled (a hung socket read cannot be): the caller stops
 * waiting and closes the connection it ran on.
 */

/** The bound passed before the work answered. `what` names the operation, e.g. "Redis GET". */
export class BoundExceededError extends Error {
  constructor(
    readonly what: string,
    readonly boundMs: number,
  ) {
    super(`${what}: no answer within ${boundMs} ms`);
    this.name = "BoundExceededError";
  }
}

/** The run was interrupted while waiting; `reason` is the signal's. */
export class WaitAbortedError extends Error {
  constructor(readonly what: string) {
    super(`${what}: interrupted`);
    this.name = "WaitAbortedError";
  }
}

/**
 * Resolves or rejects as `work` does, or rejects with BoundExceededError
 * after `boundMs`, or with WaitAbortedError when `signal` aborts, whichever
 * comes first. The timer is cleared when the wait ends.
 */
export function withinBound<T>(
  work: Promise<T> | (() => Promise<T>),
  boundMs: number,
  what: string,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new WaitAbortedError(what));
      return;
    }
    let pending: Promise<T>;
    try {
      pending = typeof work === "function" ? work() : work;
    } catch (error) {
      reject(error);
      return;
    }
    const onAbort = () => finish(() => reject(new WaitAbortedError(what)));
    const timer = setTimeout(
      () => finish(() => reject(new BoundExceededError(what, boundMs))),
      Math.max(0, boundMs),
    );
    let done = false;
    function finish(settle: () => void): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      settle();
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    pending.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

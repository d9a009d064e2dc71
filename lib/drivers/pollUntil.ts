import { setTimeout as sleep } from "node:timers/promises";
import { describeError } from "../errors.ts";
import { BoundExceededError, WaitAbortedError, withinBound } from "./withinBound.ts";

export interface PollOptions<T> {
  /** Reads the current value; a throw counts as "not yet" and is reported if it is the last thing seen. */
  read: () => Promise<T>;
  /** True when the value is final: the poll ends at once. */
  done: (value: T) => boolean;
  /** Absolute deadline in `Date.now()` milliseconds. */
  deadline: number;
  /** First pause between reads; doubles up to `maxIntervalMs`, so a quick effect is seen quickly. */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** The run was interrupted (Ctrl-C): stop at once, no verdict. */
  signal?: AbortSignal;
  /**
   * The awaited value can no longer come (its cause failed for good): read
   * once more, in case it landed just before, and end with the signal's
   * reason instead of waiting out the deadline.
   */
  giveUp?: AbortSignal;
}

interface Unfinished<T> {
  /** The last value read, if any read succeeded. */
  last: { value: T } | undefined;
  /** The last read error, if the last read threw. */
  lastError: string | undefined;
  /** What the last read threw (for telling a connection failure from an answer), if it threw. */
  lastCause: unknown;
  attempts: number;
  elapsedMs: number;
}

export type PollOutcome<T> =
  | { status: "done"; value: T; attempts: number; elapsedMs: number }
  | ({ status: "timeout" | "aborted" } & Unfinished<T>)
  | ({ status: "gaveUp"; reason: string } & Unfinished<T>);

/** The least time a read gets, even when it starts at the deadline (the last read). */
const LAST_READ_MS = 1_000;

/**
 * Reads until `done`, the deadline, or `giveUp`, whichever comes first.
 * Always reads at least once, once more right at the deadline and once more
 * after `giveUp`, so a value that lands in the last interval is not missed.
 * A read that hangs is not waited for past the deadline (at least
 * LAST_READ_MS) nor past the signal: the poll ends on time whatever its
 * reads do.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<PollOutcome<T>> {
  const started = Date.now();
  const maxInterval = options.maxIntervalMs ?? 200;
  let interval = options.intervalMs ?? 25;
  let last: { value: T } | undefined;
  let lastError: string | undefined;
  let lastCause: unknown;
  let attempts = 0;
  const wakers = [options.signal, options.giveUp].filter((s) => s !== undefined);
  const wake = wakers.length > 0 ? AbortSignal.any(wakers) : undefined;
  const unfinished = () => ({
    last,
    lastError,
    lastCause,
    attempts,
    elapsedMs: Date.now() - started,
  });
  // Bounded: each pass either returns or sleeps towards the fixed deadline.
  for (;;) {
    if (options.signal?.aborted) return { status: "aborted", ...unfinished() };
    // Read before acting on giveUp: the value may have landed just before its cause failed.
    const gaveUp = options.giveUp?.aborted === true;
    attempts++;
    try {
      const boundMs = Math.max(options.deadline - Date.now(), LAST_READ_MS);
      const value = await withinBound(options.read, boundMs, "read", options.signal);
      last = { value };
      lastError = undefined;
      lastCause = undefined;
      if (options.done(value)) {
        return { status: "done", value, attempts, elapsedMs: Date.now() - started };
      }
    } catch (error) {
      if (error instanceof WaitAbortedError) return { status: "aborted", ...unfinished() };
      lastCause = error;
      lastError =
        error instanceof BoundExceededError
          ? `a read did not answer within ${error.boundMs} ms`
          : describeError(error);
    }
    if (gaveUp)
      return { status: "gaveUp", reason: String(options.giveUp?.reason), ...unfinished() };
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) return { status: "timeout", ...unfinished() };
    // Woken early by either signal; the top of the loop tells which.
    await sleep(Math.min(interval, remaining), undefined, wake ? { signal: wake } : {}).catch(
      () => {},
    );
    interval = Math.min(interval * 2, maxInterval);
  }
}

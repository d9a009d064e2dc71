import { setTimeout as sleep } from "node:timers/promises";
import { describeError } from "../errors.ts";

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
  signal?: AbortSignal;
}

export type PollOutcome<T> =
  | { status: "done"; value: T; attempts: number; elapsedMs: number }
  | {
      status: "timeout" | "aborted";
      /** The last value read, if any read succeeded. */
      last: { value: T } | undefined;
      /** The last read error, if the last read threw. */
      lastError: string | undefined;
      attempts: number;
      elapsedMs: number;
    };

/**
 * Reads until `done` or the deadline, whichever comes first. Always reads at
 * least once, and once more right at the deadline, so a value that lands in
 * the last interval is not missed.
 */
export async function pollUntil<T>(options: PollOptions<T>): Promise<PollOutcome<T>> {
  const started = Date.now();
  const maxInterval = options.maxIntervalMs ?? 200;
  let interval = options.intervalMs ?? 25;
  let last: { value: T } | undefined;
  let lastError: string | undefined;
  let attempts = 0;
  // Bounded: each pass either returns or sleeps towards the fixed deadline.
  for (;;) {
    if (options.signal?.aborted) {
      return { status: "aborted", last, lastError, attempts, elapsedMs: Date.now() - started };
    }
    attempts++;
    try {
      const value = await options.read();
      last = { value };
      lastError = undefined;
      if (options.done(value)) {
        return { status: "done", value, attempts, elapsedMs: Date.now() - started };
      }
    } catch (error) {
      lastError = describeError(error);
    }
    const remaining = options.deadline - Date.now();
    if (remaining <= 0) {
      return { status: "timeout", last, lastError, attempts, elapsedMs: Date.now() - started };
    }
    try {
      await sleep(Math.min(interval, remaining), undefined, { signal: options.signal });
    } catch {
      return { status: "aborted", last, lastError, attempts, elapsedMs: Date.now() - started };
    }
    interval = Math.min(interval * 2, maxInterval);
  }
}

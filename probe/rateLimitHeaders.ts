/*
 * What a rate limiter's headers say: Retry-After (delta-seconds or an HTTP
 * date), a reset moment (delta or epoch seconds), and R2's reading of the
 * remaining count across a burst, which knows windows (it may rise only
 * where a window reset).
 */

/** Seconds to wait from a Retry-After (delta-seconds or an HTTP date); undefined when it is neither. */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text) &&
    Number.isFinite(date)
    ? Math.max(0, Math.ceil((date - now) / 1000))
    : undefined;
}

/** Reset headers are whole seconds: a reset is "passed" within this much of its moment. */
const RESET_SLACK_MS = 1000;

/**
 * When the window an answer's reset header announces ends, in ms on the
 * burst's clock: delta-seconds (the common form) or epoch seconds (GitHub's
 * `x-ratelimit-reset`); undefined when it is neither.
 */
export function resetMoment(
  value: string | undefined,
  answeredAt: number,
  now = Date.now(),
): number | undefined {
  const text = value?.trim();
  if (!text || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  // Past 2001-09-09 in epoch seconds (or in epoch ms) is a moment; smaller is a delta.
  if (n >= 1e12) return answeredAt + (n - now);
  return n >= 1e9 ? answeredAt + (n * 1000 - now) : answeredAt + n * 1000;
}

/** One answer as R2 reads it: when it came, its headers. */
export interface Reading {
  at: number;
  headers: Record<string, string>;
}

/**
 * R2's reading of the remaining header across a burst. Remaining may rise
 * only where the window reset: the reset header of an earlier answer said
 * its window ended by now, or, without one, the count went back to a full
 * window (limit − 1 or more) no sooner than one window after the last such
 * restart (the first may come at any time: a fixed window's phase is
 * unknown). Where a reset header is read, it alone decides. The reading
 * restarts at a reset; any other rise is a problem.
 */
export function remainingProblems(
  readings: readonly Reading[],
  names: { limit?: string; remaining?: string; reset?: string },
  spec: { limit: number; windowMs: number },
  now = Date.now(),
): { problems: string[]; resets: number; lastRemaining: number | undefined } {
  const problems: string[] = [];
  const remainingName = names.remaining?.toLowerCase();
  const resetName = names.reset?.toLowerCase();
  const limitName = names.limit?.toLowerCase();
  let last: number | undefined;
  let windowEnds: number | undefined;
  let lastRestart: number | undefined;
  let resets = 0;
  for (const [i, r] of readings.entries()) {
    const raw = remainingName ? r.headers[remainingName]?.trim() : undefined;
    const remaining = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
    if (remaining !== undefined && last !== undefined && remaining > last) {
      const announced = windowEnds !== undefined && r.at + RESET_SLACK_MS >= windowEnds;
      const limitNow = limitName ? Number(r.headers[limitName]?.trim()) : Number.NaN;
      const full = remaining >= (Number.isInteger(limitNow) ? limitNow : spec.limit) - 1;
      // Timers jitter: a window's restart may come a tenth of it early.
      const spaced = lastRestart === undefined || r.at - lastRestart >= spec.windowMs * 0.9;
      // A reset header, when read, is the target's word: it alone says where the window ended.
      if (windowEnds !== undefined ? announced : full && spaced) {
        resets++;
        lastRestart = r.at;
      } else {
        problems.push(
          `request ${i + 1}: ${names.remaining} rose from ${last} to ${remaining} at ${Math.round(r.at)} ms` +
            (windowEnds !== undefined
              ? ` though ${names.reset} said the window ends at ${Math.round(windowEnds)} ms`
              : full
                ? ` (a second reset ${Math.round(r.at - (lastRestart ?? 0))} ms after the last, inside one ${spec.windowMs} ms window)`
                : " without a reset (not back to a full window)"),
        );
      }
    }
    if (remaining !== undefined) last = remaining;
    const moment = resetName ? resetMoment(r.headers[resetName], r.at, now) : undefined;
    if (moment !== undefined) windowEnds = moment;
  }
  return { problems, resets, lastRemaining: last };
}

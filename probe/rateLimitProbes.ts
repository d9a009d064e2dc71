import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import type { Exchange } from "./probeDelivery.ts";
import { pause } from "./probeDelivery.ts";
import { type SurfaceContext, type SurfaceProbe, send, statusText } from "./surfaceContext.ts";

/*
 * Rate limits (R): one bounded burst a run (at most limit + extra requests,
 * never past the window, never on production), read by R1-R3.
 */

/** What R1's burst saw: every answer up to the first 429 (or the count or time bound). */
interface Burst {
  answers: Exchange[];
  /** When each answer came back, in ms since the burst started (beside `answers`). */
  at?: number[];
  limited: Exchange | undefined;
  elapsedMs: number;
  /** Why it stopped: a 429, the count bound, the window's end, or Ctrl-C. */
  stoppedBy: "429" | "count" | "time" | "interrupted";
}

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

/** The burst, once a run: at most limit + extra requests, one after another, never past the window. */
function burstOf(ctx: SurfaceContext): Promise<Burst> {
  const memo = ctx.memo.get("burst") as Promise<Burst> | undefined;
  if (memo) return memo;
  const run = (async (): Promise<Burst> => {
    const spec = ctx.http.rateLimit as NonNullable<ProbeHttp["rateLimit"]>;
    const bound = spec.limit + (spec.extra ?? 5);
    const started = performance.now();
    const answers: Exchange[] = [];
    const at: number[] = [];
    while (answers.length < bound) {
      if (ctx.signal?.aborted)
        return {
          answers,
          limited: undefined,
          at,
          elapsedMs: performance.now() - started,
          stoppedBy: "interrupted",
        };
      if (performance.now() - started >= spec.windowMs)
        return {
          answers,
          limited: undefined,
          at,
          elapsedMs: performance.now() - started,
          stoppedBy: "time",
        };
      const a = await send(ctx, spec, { "content-type": "application/json" }, spec.body);
      answers.push(a);
      at.push(performance.now() - started);
      if (a.status === 429)
        return {
          answers,
          at,
          limited: a,
          elapsedMs: performance.now() - started,
          stoppedBy: "429",
        };
    }
    return {
      answers,
      at,
      limited: undefined,
      elapsedMs: performance.now() - started,
      stoppedBy: "count",
    };
  })();
  ctx.memo.set("burst", run);
  return run;
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
interface Reading {
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

function burstEvidence(b: Burst): string[] {
  const first = b.answers[0];
  const last = b.answers.at(-1);
  return [
    ...(first ? ["[first]", ...first.evidence] : []),
    ...(last && last !== first ? [`[last, request ${b.answers.length}]`, ...last.evidence] : []),
    `statuses: ${b.answers.map((a) => a.status ?? "none").join(" ")}`,
  ];
}

const RATE_MISSING = (http: ProbeHttp) =>
  http.rateLimit ? undefined : "probe.http.rateLimit is not configured";

export const RATE_LIMIT_PROBES: Record<string, SurfaceProbe> = {
  R1: {
    missing: RATE_MISSING,
    expected: "a 429 with a valid Retry-After before limit + extra requests, inside the window",
    async run(ctx) {
      const spec = ctx.http.rateLimit as NonNullable<ProbeHttp["rateLimit"]>;
      const b = await burstOf(ctx);
      const evidence = burstEvidence(b);
      const took = `${b.answers.length} requests in ${Math.round(b.elapsedMs)} ms`;
      if (b.stoppedBy === "interrupted")
        return {
          status: "skipped",
          expected: this.expected,
          observed: `interrupted after ${took}`,
          evidence,
        };
      if (!b.limited)
        return {
          status: "failed",
          expected: this.expected,
          observed: `no 429 after ${took} (stopped at the ${b.stoppedBy === "time" ? "window's end" : "count bound"}; limit ${spec.limit} per ${spec.windowMs} ms)`,
          hint: "Nothing limited the burst: the route is unprotected against floods and guessing, or the profile's limit is not the deployed one.",
          evidence,
        };
      const retry = b.limited.headers["retry-after"];
      const seconds = retryAfterSeconds(retry);
      const observed = `429 at request ${b.answers.length} (${took}); Retry-After ${JSON.stringify(retry ?? null)}`;
      return seconds === undefined
        ? {
            status: "failed",
            expected: this.expected,
            observed,
            hint: "A 429 must say when to come back: Retry-After in seconds or as an HTTP date (RFC 9110), or clients retry at once and make it worse.",
            evidence,
          }
        : { status: "passed", expected: this.expected, observed, evidence };
    },
  },
  R2: {
    missing: (http) =>
      RATE_MISSING(http) ??
      (http.rateLimit?.vendorHeaders
        ? undefined
        : "probe.http.rateLimit.vendorHeaders is not configured"),
    expected:
      "the configured limit headers on every answer, as numbers, remaining rising only where the window resets",
    async run(ctx) {
      const spec = ctx.http.rateLimit as NonNullable<ProbeHttp["rateLimit"]>;
      const names = spec.vendorHeaders ?? {};
      const b = await burstOf(ctx);
      if (b.answers.length === 0 || b.stoppedBy === "interrupted")
        return {
          status: "skipped",
          expected: this.expected,
          observed: `not judged: the burst ${b.stoppedBy === "interrupted" ? "was interrupted" : "got no answer"}`,
        };
      const problems: string[] = [];
      for (const [i, a] of b.answers.entries()) {
        for (const name of Object.values(names)) {
          const v = a.headers[name.toLowerCase()];
          if (v === undefined || !/^\d+$/.test(v.trim()))
            problems.push(
              `request ${i + 1}: ${name} ${v === undefined ? "missing" : JSON.stringify(v)}`,
            );
        }
        // IETF draft fields, when sent, must at least carry a policy or a remaining quota.
        for (const field of ["ratelimit", "ratelimit-policy"]) {
          const v = a.headers[field];
          if (v !== undefined && !/(r=|q=|remaining|limit|=)/i.test(v))
            problems.push(`request ${i + 1}: ${field} ${JSON.stringify(v)} does not parse`);
        }
      }
      const window = remainingProblems(
        b.answers.map((a, i) => ({ at: b.at?.[i] ?? 0, headers: a.headers })),
        names,
        spec,
      );
      problems.push(...window.problems);
      const lastRemaining = window.lastRemaining;
      const resets =
        window.resets > 0
          ? ` (the window reset ${window.resets}× during the burst: reading restarted)`
          : "";
      const observed =
        problems.length === 0
          ? `${Object.values(names).join(", ")} on all ${b.answers.length} answers; remaining ended at ${lastRemaining ?? "(not read)"}${resets}`
          : problems.slice(0, 5).join("; ") +
            (problems.length > 5 ? ` and ${problems.length - 5} more` : "");
      return problems.length === 0
        ? { status: "passed", expected: this.expected, observed, evidence: burstEvidence(b) }
        : {
            status: "failed",
            expected: this.expected,
            observed,
            hint: "Clients pace themselves by these headers: send them on every answer of the limited route, as integers, with remaining counting down within a window (it may rise only where the window resets).",
            evidence: burstEvidence(b),
          };
    },
  },
  R3: {
    missing: RATE_MISSING,
    expected: "after Retry-After, no longer 429",
    async run(ctx) {
      const spec = ctx.http.rateLimit as NonNullable<ProbeHttp["rateLimit"]>;
      const b = await burstOf(ctx);
      const seconds = retryAfterSeconds(b.limited?.headers["retry-after"]);
      if (!b.limited || seconds === undefined)
        return {
          status: "skipped",
          expected: this.expected,
          observed: "not judged: R1 saw no 429 with a valid Retry-After",
          hint: "R3 waits the Retry-After R1 was given; see R1.",
        };
      // Bounded: never longer than the window and a second, whatever the target says.
      const waitMs = Math.min(seconds * 1000, spec.windowMs + 1000);
      await pause(waitMs, ctx.signal);
      if (ctx.signal?.aborted)
        return {
          status: "skipped",
          expected: this.expected,
          observed: "interrupted while waiting for Retry-After",
        };
      const a = await send(ctx, spec, { "content-type": "application/json" }, spec.body);
      const observed = `waited ${waitMs} ms (Retry-After ${seconds}); then ${statusText(a)}`;
      return a.status !== 429 && a.status !== null
        ? { status: "passed", expected: this.expected, observed, evidence: a.evidence }
        : {
            status: "failed",
            expected: this.expected,
            observed,
            hint: "Retry-After said when the limit lifts, and it did not: a client that obeys it is locked out anyway.",
            evidence: a.evidence,
          };
    },
  },
};

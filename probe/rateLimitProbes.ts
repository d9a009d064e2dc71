import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import { pause } from "./probeDelivery.ts";
import { type Burst, burstEvidence, sendBurst } from "./rateLimitBurst.ts";
import { remainingProblems, retryAfterSeconds } from "./rateLimitHeaders.ts";
import { type SurfaceContext, type SurfaceProbe, sendAs, statusText } from "./surfaceContext.ts";

/*
 * Rate limits (R): one bounded burst a run (at most limit + extra requests,
 * never past the window, never on production), read by R1-R3.
 */

/** The burst, once a run: at most limit + extra requests, one after another, never past the window. */
function burstOf(ctx: SurfaceContext): Promise<Burst> {
  const memo = ctx.memo.get("burst") as Promise<Burst> | undefined;
  if (memo) return memo;
  const spec = ctx.http.rateLimit as NonNullable<ProbeHttp["rateLimit"]>;
  const run = sendBurst(ctx, spec, spec.identity);
  ctx.memo.set("burst", run);
  return run;
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
      const a = await sendAs(ctx, spec, { "content-type": "application/json" }, spec.body);
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

import type { ProbeHttp } from "../lib/config/probeProfile.ts";
import type { Exchange } from "./probeDelivery.ts";
import { identityHeaders, type SurfaceContext, send } from "./surfaceContext.ts";

/*
 * One bounded burst against a rate-limited route: at most limit + extra
 * requests, one after another, never past the window, stopped by the
 * first 429 or Ctrl-C. R1–R3 share one a run; R4 and R5 send their own.
 */

/** What R1's burst saw: every answer up to the first 429 (or the count or time bound). */
export interface Burst {
  answers: Exchange[];
  /** When each answer came back, in ms since the burst started (beside `answers`). */
  at?: number[];
  limited: Exchange | undefined;
  elapsedMs: number;
  /** Why it stopped: a 429, the count bound, the window's end, or Ctrl-C. */
  stoppedBy: "429" | "count" | "time" | "interrupted";
}

/** A burst as `as` (an identity of probe.http.identities; none: anonymous), minted before the window's clock starts. */
export async function sendBurst(
  ctx: SurfaceContext,
  spec: NonNullable<ProbeHttp["rateLimit"]>,
  as: string | undefined,
): Promise<Burst> {
  const bound = spec.limit + (spec.extra ?? 5);
  // The identity is minted before the window's clock starts: the burst times requests, not minting.
  const identity = as !== undefined ? await identityHeaders(ctx, as) : {};
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
    const a = await send(ctx, spec, { ...identity, "content-type": "application/json" }, spec.body);
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
}

export function burstEvidence(b: Burst): string[] {
  const first = b.answers[0];
  const last = b.answers.at(-1);
  return [
    ...(first ? ["[first]", ...first.evidence] : []),
    ...(last && last !== first ? [`[last, request ${b.answers.length}]`, ...last.evidence] : []),
    `statuses: ${b.answers.map((a) => a.status ?? "none").join(" ")}`,
  ];
}

import type { CheckVerdict } from "../lib/timedCheck.ts";
import { type Answer, type Delivery, is2xx, is4xx, pause } from "./probeDelivery.ts";
import { type ReceiverContext, SETTLE_MS } from "./receiverContext.ts";
import { send } from "./signedDelivery.ts";

/** The read-back and the two verdicts most receiver probes reduce to: must be refused; processed once. */

/** An answer as evidence shows it: its status and time, or why there was none. */
export function statusText(a: Answer): string {
  return a.status === null ? `no answer (${a.error})` : `${a.status} in ${a.ms} ms`;
}

/** The count once it reaches 1 (or the deadline passes), then again after SETTLE_MS: a second processing shows. */
async function processedCount(ctx: ReceiverContext, eventId: string): Promise<number> {
  const read = ctx.processed as (id: string) => Promise<number>;
  const deadline = Date.now() + ctx.processTimeoutMs;
  let count = await read(eventId);
  while (count < 1 && Date.now() < deadline && !ctx.signal?.aborted) {
    await pause(50, ctx.signal);
    count = await read(eventId);
  }
  if (count < 1) return count;
  await pause(SETTLE_MS, ctx.signal);
  return read(eventId);
}

const NOT_JUDGED = (expected: string, evidence: string[]): CheckVerdict => ({
  status: "skipped",
  expected,
  observed: "not judged: the profile has no read-back for this receiver",
  hint: `Add probe.webhooks.<name>.processedCount (a SQL count of the event's processings, as the smoke's assertions read) so "processed once" can be seen; without it this probe proves nothing.`,
  evidence,
});

export const HINT = {
  refusedValid:
    "The receiver refused a correctly signed delivery: is the profile's signing secret the deployed one, and the scheme right?",
  serverError: "The receiver failed internally: see its logs.",
  acceptedForged:
    "The receiver accepted a delivery whose signature is wrong or missing: it must verify every delivery, before anything else, and answer 4xx.",
  processedForged: "The receiver processed a delivery it should have refused.",
  slow: "The receiver acks after its budget: answer first, then do the slow work (enqueue it).",
  duplicate:
    "The receiver processed one event more than once: deduplicate on the event id (a unique key, insert-or-nothing), never on the signature or a check-then-insert.",
  notProcessed:
    "The receiver answered 2xx but the read-back never saw the event: it acks without processing, or the read-back statement reads the wrong place.",
} as const;

/** A delivery that must be refused: 4xx, and (with a read-back) not processed. */
export async function mustRefuse(
  ctx: ReceiverContext,
  expected: string,
  cases: readonly { label: string; eventId: string; delivery: Delivery }[],
): Promise<CheckVerdict> {
  const evidence: string[] = [];
  const seen: string[] = [];
  const wrong: string[] = [];
  let processed = false;
  for (const c of cases) {
    const answer = await send(ctx, c.delivery);
    evidence.push(`[${c.label}]`, ...answer.evidence);
    seen.push(`${c.label}: ${statusText(answer)}`);
    if (!is4xx(answer.status)) wrong.push(c.label);
    if (ctx.processed) {
      const n = await ctx.processed(c.eventId);
      if (n > 0) {
        processed = true;
        wrong.push(`${c.label} (processed ${n}×)`);
        evidence.push(`read-back: ${c.eventId} processed ${n}×`);
      } else if (is4xx(answer.status)) ctx.refused.push(c.eventId);
    }
  }
  if (wrong.length === 0)
    return { status: "passed", expected, observed: seen.join("; "), evidence };
  const serverError = seen.some((s) => / 5\d\d in /.test(s));
  return {
    status: "failed",
    expected,
    observed: seen.join("; "),
    hint:
      serverError && !processed
        ? HINT.serverError
        : processed
          ? HINT.processedForged
          : HINT.acceptedForged,
    evidence,
  };
}

/** A delivery that must be accepted (2xx) and, with a read-back, processed exactly once. */
export async function mustProcessOnce(
  ctx: ReceiverContext,
  expected: string,
  eventId: string,
  answers: readonly Answer[],
  evidence: string[],
  needsReadBack: boolean,
): Promise<CheckVerdict> {
  const observed = answers.map(statusText);
  const refused = answers.find((a) => !is2xx(a.status));
  if (refused)
    return {
      status: "failed",
      expected,
      observed: observed.join("; "),
      hint: refused.status !== null && refused.status >= 500 ? HINT.serverError : HINT.refusedValid,
      evidence,
    };
  if (!ctx.processed)
    return needsReadBack
      ? NOT_JUDGED(expected, evidence)
      : { status: "passed", expected, observed: observed.join("; "), evidence };
  const n = await processedCount(ctx, eventId);
  evidence.push(`read-back: ${eventId} processed ${n}×`);
  const text = `${observed.join("; ")}; processed ${n}×`;
  if (n === 1) return { status: "passed", expected, observed: text, evidence };
  return {
    status: "failed",
    expected,
    observed: text,
    hint: n === 0 ? HINT.notProcessed : HINT.duplicate,
    evidence,
  };
}

import { type Answer, is2xx, is4xx } from "./probeDelivery.ts";
import {
  ACK_BUDGET_MS,
  BURST,
  LATENCY_SAMPLES,
  OVERSIZED_BYTES,
  type ProbeTable,
} from "./receiverContext.ts";
import { HINT, mustProcessOnce, statusText } from "./receiverVerdicts.ts";
import { bodyFor, idsFor, nowSec, send, signed } from "./signedDelivery.ts";

/** What a provider's retries and limits ask of a receiver (W9–W13): one processing of a redelivery, a re-signed retry and concurrent duplicates, the ack's latency, an oversized body. */
export const RETRY_PROBES: ProbeTable = {
  W9: {
    expected: () => "2xx both times, processed once",
    async run(ctx) {
      const eventId = ctx.newEventId();
      const delivery = signed(ctx, eventId);
      const first = await send(ctx, delivery);
      const second = await send(ctx, delivery);
      return mustProcessOnce(
        ctx,
        "2xx both times, processed once",
        eventId,
        [first, second],
        ["[first]", ...first.evidence, "[again]", ...second.evidence],
        true,
      );
    },
  },
  W10: {
    expected: () => "2xx both times, processed once",
    async run(ctx) {
      const eventId = ctx.newEventId();
      const body = bodyFor(ctx, eventId);
      const first = await send(ctx, signed(ctx, eventId, nowSec() - 5, body));
      const retry = await send(ctx, signed(ctx, eventId, nowSec(), body));
      return mustProcessOnce(
        ctx,
        "2xx both times, processed once",
        eventId,
        [first, retry],
        ["[first]", ...first.evidence, "[re-signed retry]", ...retry.evidence],
        true,
      );
    },
  },
  W11: {
    expected: () => `${BURST} at once: 2xx each, processed once`,
    async run(ctx) {
      const eventId = ctx.newEventId();
      const delivery = signed(ctx, eventId);
      const answers = await Promise.all(Array.from({ length: BURST }, () => send(ctx, delivery)));
      return mustProcessOnce(
        ctx,
        `${BURST} at once: 2xx each, processed once`,
        eventId,
        answers,
        answers.flatMap((a, n) => [`[${n + 1}]`, ...a.evidence.slice(-1)]),
        true,
      );
    },
  },
  W12: {
    expected: (ctx) =>
      `p95 of ${LATENCY_SAMPLES} acks within ${ctx.receiver.ackBudgetMs ?? ACK_BUDGET_MS} ms`,
    async run(ctx) {
      const budget = ctx.receiver.ackBudgetMs ?? ACK_BUDGET_MS;
      const expected = `p95 of ${LATENCY_SAMPLES} acks within ${budget} ms, every one 2xx`;
      const times: number[] = [];
      const evidence: string[] = [];
      let refused: Answer | undefined;
      for (let n = 0; n < LATENCY_SAMPLES && !ctx.signal?.aborted; n++) {
        const answer = await send(ctx, signed(ctx, ctx.newEventId()));
        if (n === 0) evidence.push(...answer.evidence);
        if (!is2xx(answer.status)) {
          refused ??= answer;
          evidence.push(...answer.evidence.slice(-1));
        }
        times.push(answer.ms);
      }
      const sorted = [...times].sort((a, b) => a - b);
      const p95 =
        sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
      const observed = `p95 ${p95} ms, max ${sorted.at(-1)} ms over ${times.length}${refused ? `; refused: ${statusText(refused)}` : ""}`;
      evidence.push(`ack times (ms): ${times.join(", ")}`);
      if (refused)
        return { status: "failed", expected, observed, hint: HINT.refusedValid, evidence };
      if (times.length < LATENCY_SAMPLES)
        return {
          status: "skipped",
          expected,
          observed,
          hint: "Interrupted before every sample was taken.",
          evidence,
        };
      return p95 <= budget
        ? { status: "passed", expected, observed, evidence }
        : { status: "failed", expected, observed, hint: HINT.slow, evidence };
    },
  },
  W13: {
    expected: (ctx) =>
      `4xx for a ${ctx.receiver.oversizedBytes ?? OVERSIZED_BYTES}-byte body, within the request timeout`,
    async run(ctx) {
      const size = ctx.receiver.oversizedBytes ?? OVERSIZED_BYTES;
      const expected = `4xx for a ${size}-byte body, within the request timeout; never 5xx or no answer`;
      const eventId = ctx.newEventId();
      const event = ctx.receiver.eventBody(idsFor(ctx, eventId));
      const base = JSON.stringify(
        typeof event === "object" && event !== null ? { ...event, probePadding: "" } : event,
      );
      const body = base.replace(
        '"probePadding":""',
        `"probePadding":"${"x".repeat(Math.max(0, size - base.length))}"`,
      );
      const answer = await send(ctx, signed(ctx, eventId, nowSec(), body));
      const observed = statusText(answer);
      if (is4xx(answer.status))
        return { status: "passed", expected, observed, evidence: answer.evidence };
      return {
        status: "failed",
        expected,
        observed,
        hint:
          answer.status === null
            ? "The receiver did not answer an oversized body in time: set a body limit that answers 413 at once."
            : is2xx(answer.status)
              ? `The receiver accepted a ${size}-byte body: set a body limit (413) well below it.`
              : "The receiver failed on an oversized body: a body limit should refuse it with 413, not crash.",
        evidence: answer.evidence,
      };
    },
  },
};

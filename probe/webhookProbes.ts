import { nodeHmac } from "../lib/nodeHmac.ts";
import { SCHEMES } from "../lib/webhookSchemes.ts";
import { headersCarrying, type SignatureInput, signatureOf } from "../lib/webhookSigning.ts";
import { type Answer, is2xx, is4xx } from "./probeDelivery.ts";
import {
  ACK_BUDGET_MS,
  BURST,
  bodyFor,
  extras,
  HINT,
  idsFor,
  input,
  LATENCY_SAMPLES,
  mustProcessOnce,
  mustRefuse,
  nowSec,
  OVERSIZED_BYTES,
  type ProbeTable,
  randomLike,
  send,
  signed,
  statusText,
} from "./receiverContext.ts";

/*
 * The webhook probes (W1–W13) against one receiver: what each signs and
 * sends, and how it judges the status and the read-back.
 */

/** Each probe of the catalogue, by id (probeCatalogue.ts says what it sends and expects). */
export const WEBHOOK_PROBES: ProbeTable = {
  W1: {
    expected: (ctx) => `2xx within ${ctx.receiver.ackBudgetMs ?? ACK_BUDGET_MS} ms, processed once`,
    async run(ctx) {
      const budget = ctx.receiver.ackBudgetMs ?? ACK_BUDGET_MS;
      const expected = `2xx within ${budget} ms, processed once`;
      const eventId = ctx.newEventId();
      const answer = await send(ctx, signed(ctx, eventId));
      const verdict = await mustProcessOnce(
        ctx,
        expected,
        eventId,
        [answer],
        [...answer.evidence],
        false,
      );
      if (verdict.status === "passed" && answer.ms > budget)
        return { ...verdict, status: "failed", hint: HINT.slow };
      return verdict;
    },
  },
  W2: {
    expected: () => "4xx, not processed",
    run(ctx) {
      const eventId = ctx.newEventId();
      const { body, headers } = signed(ctx, eventId);
      const header = SCHEMES[ctx.receiver.signing.scheme].header;
      const rest = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== header));
      return mustRefuse(ctx, "4xx, not processed", [
        { label: "no signature", eventId, delivery: { body, headers: rest } },
      ]);
    },
  },
  W3: {
    expected: () => "4xx for each, not processed",
    run(ctx) {
      const scheme = ctx.receiver.signing.scheme;
      const facts = SCHEMES[scheme];
      const make = (
        label: string,
        sign: (input: SignatureInput, right: string) => { sigs: string[]; tag?: string | null },
      ) => {
        const eventId = ctx.newEventId();
        const body = bodyFor(ctx, eventId);
        const i = input(ctx, body, eventId);
        const right = signatureOf(scheme, i, nodeHmac);
        const { sigs, tag } = sign(i, right);
        return {
          label,
          eventId,
          delivery: {
            body,
            headers: {
              ...headersCarrying(scheme, i, sigs, tag === undefined ? facts.tag : tag),
              ...extras(ctx, eventId),
            },
          },
        };
      };
      const other = (i: SignatureInput) =>
        signatureOf(
          scheme,
          {
            ...i,
            secret:
              facts.key === "utf8" ? `${i.secret}-other` : "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
          },
          nodeHmac,
        );
      const cases = [
        make("random", (_i, right) => ({ sigs: [randomLike(right)] })),
        make("another key's", (i) => ({ sigs: [other(i)] })),
        make("truncated", (_i, right) => ({ sigs: [right.slice(0, Math.ceil(right.length / 2))] })),
        ...(facts.tag
          ? [
              make(`tag ${facts.tag === "v1" ? "v0" : "sha1"}`, (_i, right) => ({
                sigs: [right],
                tag: facts.tag === "v1" ? "v0" : "sha1",
              })),
            ]
          : []),
      ];
      return mustRefuse(ctx, "4xx for each, not processed", cases);
    },
  },
  W4: {
    expected: () => "4xx, not processed",
    run(ctx) {
      const signedFor = ctx.newEventId();
      const eventId = ctx.newEventId();
      const { headers } = signed(ctx, signedFor);
      return mustRefuse(ctx, "4xx, not processed", [
        { label: "another body", eventId, delivery: { body: bodyFor(ctx, eventId), headers } },
      ]);
    },
  },
  W5: {
    expected: () => "4xx just past the tolerance; 2xx and processed once just inside it",
    async run(ctx) {
      const tolerance = SCHEMES[ctx.receiver.signing.scheme].toleranceSec as number;
      const expected = `4xx at ${tolerance + 30} s old; 2xx and processed once at ${tolerance - 30} s old`;
      const oldId = ctx.newEventId();
      const refused = await mustRefuse(ctx, expected, [
        {
          label: `${tolerance + 30} s old`,
          eventId: oldId,
          delivery: signed(ctx, oldId, nowSec() - tolerance - 30),
        },
      ]);
      if (refused.status !== "passed") return refused;
      const insideId = ctx.newEventId();
      const answer = await send(ctx, signed(ctx, insideId, nowSec() - tolerance + 30));
      const inside = await mustProcessOnce(
        ctx,
        expected,
        insideId,
        [answer],
        [...answer.evidence],
        false,
      );
      return {
        ...inside,
        observed: `${refused.observed}; ${tolerance - 30} s old: ${inside.observed}`,
        evidence: [
          ...(refused.evidence ?? []),
          `[${tolerance - 30} s old]`,
          ...(inside.evidence ?? []),
        ],
      };
    },
  },
  W6: {
    expected: (ctx) =>
      SCHEMES[ctx.receiver.signing.scheme].future === "accepted"
        ? "2xx (the scheme accepts future timestamps)"
        : "4xx (the scheme rejects future timestamps)",
    async run(ctx) {
      const facts = SCHEMES[ctx.receiver.signing.scheme];
      const ahead = (facts.toleranceSec as number) + 60;
      const eventId = ctx.newEventId();
      const delivery = signed(ctx, eventId, nowSec() + ahead);
      if (facts.future === "accepted") {
        const answer = await send(ctx, delivery);
        return mustProcessOnce(
          ctx,
          `2xx at ${ahead} s ahead (${ctx.receiver.signing.scheme} accepts it)`,
          eventId,
          [answer],
          [...answer.evidence],
          false,
        );
      }
      return mustRefuse(
        ctx,
        `4xx at ${ahead} s ahead (${ctx.receiver.signing.scheme} rejects it)`,
        [{ label: `${ahead} s ahead`, eventId, delivery }],
      );
    },
  },
  W7: {
    expected: () => "2xx, processed once",
    async run(ctx) {
      const eventId = ctx.newEventId();
      const event = ctx.receiver.eventBody(idsFor(ctx, eventId));
      const reordered =
        typeof event === "object" && event !== null && !Array.isArray(event)
          ? Object.fromEntries(
              [...Object.entries(event), ["probeNote", "café @ SLASH ü 日本"]].reverse(),
            )
          : event;
      // Pretty-printed, keys reversed, non-ASCII as is, and an escaped slash (\/) no serialiser writes.
      const body = JSON.stringify(reordered, null, 2).replace("SLASH", "\\/");
      const answer = await send(ctx, signed(ctx, eventId, nowSec(), body));
      return mustProcessOnce(
        ctx,
        "2xx, processed once",
        eventId,
        [answer],
        [...answer.evidence],
        false,
      );
    },
  },
  W8: {
    expected: () => "2xx with one invalid and one valid signature",
    async run(ctx) {
      const scheme = ctx.receiver.signing.scheme;
      const eventId = ctx.newEventId();
      const body = bodyFor(ctx, eventId);
      const i = input(ctx, body, eventId);
      const good = signatureOf(scheme, i, nodeHmac);
      const answer = await send(ctx, {
        body,
        headers: {
          ...headersCarrying(scheme, i, [randomLike(good), good]),
          ...extras(ctx, eventId),
        },
      });
      return mustProcessOnce(
        ctx,
        "2xx with one invalid and one valid signature",
        eventId,
        [answer],
        [...answer.evidence],
        false,
      );
    },
  },
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

import { setTimeout as sleep } from "node:timers/promises";
import type { Dispatcher } from "undici";
import type { ProbeEventIds, ProbeWebhook } from "../lib/config/probeProfile.ts";
import { nodeHmac } from "../lib/nodeHmac.ts";
import type { CheckVerdict } from "../lib/timedCheck.ts";
import { SCHEMES } from "../lib/webhookSchemes.ts";
import {
  headersCarrying,
  type SignatureInput,
  signatureHeaders,
  signatureOf,
} from "../lib/webhookSigning.ts";
import {
  type Answer,
  type Delivery,
  deliver,
  fetchBounded,
  is2xx,
  is4xx,
} from "./probeDelivery.ts";

/** What one receiver's probes share: where it is, how to sign for it, how to read back what it did. */
export interface ReceiverContext {
  /** The receiver's name in the profile (`probe.webhooks.<name>`). */
  name: string;
  receiver: ProbeWebhook;
  url: string;
  runId: string;
  agent: Dispatcher;
  requestTimeoutMs: number;
  /** How long a processed event may take to show in the read-back. */
  processTimeoutMs: number;
  signal?: AbortSignal;
  /** On a production target: the inert event type every write probe's event must have. */
  inertEventType?: string;
  /** A fresh event id that carries the run id (cleanup finds it by that). */
  newEventId(): string;
  /** How many times the receiver processed `eventId`; undefined when the profile has no read-back. */
  processed?(eventId: string): Promise<number>;
  /**
   * Event ids of deliveries refused with 4xx and unprocessed at once: read
   * back once more after the receiver's probes (a receiver that refuses and
   * processes later, from a queue, is caught there).
   */
  refused: string[];
}

const ACK_BUDGET_MS = 200;
const OVERSIZED_BYTES = 2 * 1024 * 1024;
/** A processed event is re-read after this long, so a second processing has time to show. */
export const SETTLE_MS = 300;
const BURST = 10;
const LATENCY_SAMPLES = 20;

const nowSec = () => Math.floor(Date.now() / 1000);

/** What the profile's eventBody is given: the ids, and on production the inert event type. */
function idsFor(ctx: ReceiverContext, eventId: string): ProbeEventIds {
  return {
    eventId,
    runId: ctx.runId,
    ...(ctx.inertEventType ? { inertEventType: ctx.inertEventType } : {}),
  };
}

function bodyFor(ctx: ReceiverContext, eventId: string): string {
  return JSON.stringify(ctx.receiver.eventBody(idsFor(ctx, eventId)));
}

function input(
  ctx: ReceiverContext,
  body: string,
  eventId: string,
  timestampSec = nowSec(),
): SignatureInput {
  return { secret: ctx.receiver.signing.secret, id: eventId, timestampSec, body };
}

/** The scheme's own extras (GitHub names the delivery in a header). */
function extras(ctx: ReceiverContext, eventId: string): Record<string, string> {
  return ctx.receiver.signing.scheme === "github" ? { "x-github-delivery": eventId } : {};
}

function signed(
  ctx: ReceiverContext,
  eventId: string,
  timestampSec = nowSec(),
  body = bodyFor(ctx, eventId),
): Delivery {
  const headers = signatureHeaders(
    ctx.receiver.signing.scheme,
    input(ctx, body, eventId, timestampSec),
    nodeHmac,
  );
  return { body, headers: { ...headers, ...extras(ctx, eventId) } };
}

function send(ctx: ReceiverContext, delivery: Delivery): Promise<Answer> {
  return deliver(
    ctx.agent,
    ctx.url,
    ctx.receiver.signing.scheme,
    delivery,
    ctx.requestTimeoutMs,
    ctx.signal,
  );
}

function statusText(a: Answer): string {
  return a.status === null ? `no answer (${a.error})` : `${a.status} in ${a.ms} ms`;
}

/** Waits `ms`, or less when the run is interrupted (as pollUntil waits: node's timer, cut by the signal). */
export const pause = (ms: number, signal?: AbortSignal): Promise<void> =>
  sleep(ms, undefined, signal ? { signal } : {}).catch(() => {});

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

const HINT = {
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
async function mustRefuse(
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
async function mustProcessOnce(
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

export type ProbeRun = (ctx: ReceiverContext) => Promise<CheckVerdict>;

/** Each probe of the catalogue, by id (probeCatalogue.ts says what it sends and expects). */
export const WEBHOOK_PROBES: Record<
  string,
  { expected: (ctx: ReceiverContext) => string; run: ProbeRun }
> = {
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

/** The receiver's URL with a Meta handshake query. */
function handshakeUrl(ctx: ReceiverContext, query: Record<string, string>): string {
  const url = new URL(ctx.url);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

const NO_VERIFY_TOKEN = (expected: string): CheckVerdict => ({
  status: "skipped",
  expected,
  observed: "not judged: the profile gives no verifyToken for this Meta receiver",
  hint: "Add probe.webhooks.<name>.verifyToken (the token set in the Meta app dashboard, from the environment): without it the handshake cannot be checked.",
});

/** A challenge no receiver could guess, digits only (Meta sends an integer-like string). */
function challenge(): string {
  return String(Math.floor(Math.random() * 1e15)).padStart(15, "7");
}

export const HANDSHAKE_PROBES: typeof WEBHOOK_PROBES = {
  H1: {
    expected: () => "200 with exactly the challenge",
    async run(ctx) {
      const expected = "200 with exactly the challenge (not JSON-quoted)";
      const token = ctx.receiver.verifyToken;
      if (!token) return NO_VERIFY_TOKEN(expected);
      const value = challenge();
      const answer = await fetchBounded(
        ctx.agent,
        handshakeUrl(ctx, {
          "hub.mode": "subscribe",
          "hub.verify_token": token,
          "hub.challenge": value,
        }),
        ctx.requestTimeoutMs,
        ctx.signal,
      );
      const observed = `${statusText(answer)}; body ${JSON.stringify(answer.text.slice(0, 60))}`;
      if (answer.status === 200 && answer.text === value)
        return { status: "passed", expected, observed, evidence: answer.evidence };
      return {
        status: "failed",
        expected,
        observed,
        hint:
          answer.status === 200
            ? `The receiver answered 200 but not with exactly the challenge (${value}): Meta rejects a quoted or wrapped value; send the hub.challenge text as the whole body.`
            : "The receiver refused Meta's handshake with the right token: is the profile's verifyToken the one the receiver checks, and does GET reach the same path?",
        evidence: answer.evidence,
      };
    },
  },
  H2: {
    expected: () => "4xx for each, never the challenge",
    async run(ctx) {
      const expected = "4xx for a wrong token, another mode and no parameters; never the challenge";
      const token = ctx.receiver.verifyToken;
      if (!token) return NO_VERIFY_TOKEN(expected);
      const value = challenge();
      const cases: [string, Record<string, string>][] = [
        [
          "wrong token",
          { "hub.mode": "subscribe", "hub.verify_token": `${token}-wrong`, "hub.challenge": value },
        ],
        [
          "mode unsubscribe",
          { "hub.mode": "unsubscribe", "hub.verify_token": token, "hub.challenge": value },
        ],
        ["no parameters", {}],
      ];
      const evidence: string[] = [];
      const seen: string[] = [];
      let wrong = false;
      for (const [label, query] of cases) {
        const answer = await fetchBounded(
          ctx.agent,
          handshakeUrl(ctx, query),
          ctx.requestTimeoutMs,
          ctx.signal,
        );
        evidence.push(`[${label}]`, ...answer.evidence);
        seen.push(`${label}: ${statusText(answer)}`);
        if (!is4xx(answer.status) || answer.text.includes(value)) wrong = true;
      }
      return wrong
        ? {
            status: "failed",
            expected,
            observed: seen.join("; "),
            hint: "The receiver completes (or does not refuse) a handshake that is not Meta's with our token: anyone could subscribe this URL. Answer 403 unless mode is subscribe and the token matches.",
            evidence,
          }
        : { status: "passed", expected, observed: seen.join("; "), evidence };
    },
  },
  H3: {
    expected: () => "200 to a signed verify request (no events)",
    async run(ctx) {
      const expected = "200 to a signed verify request (no events)";
      const body = JSON.stringify({ destination: `U${"f".repeat(32)}`, events: [] });
      const headers = signatureHeaders(
        ctx.receiver.signing.scheme,
        input(ctx, body, "verify"),
        nodeHmac,
      );
      const answer = await send(ctx, { body, headers });
      if (is2xx(answer.status))
        return {
          status: "passed",
          expected,
          observed: statusText(answer),
          evidence: answer.evidence,
        };
      return {
        status: "failed",
        expected,
        observed: statusText(answer),
        hint: "The LINE console's Verify would fail: a delivery with no events must still be answered 200 once its signature checks.",
        evidence: answer.evidence,
      };
    },
  },
};

/** A value shaped like `right` (same length and alphabet) that is not it. */
function randomLike(right: string): string {
  const hex = /^[0-9a-f]+$/.test(right);
  const alphabet = hex
    ? "0123456789abcdef"
    : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let out = "";
  for (let i = 0; i < right.length; i++) {
    const c = right[i] as string;
    out += c === "=" ? "=" : alphabet[(alphabet.indexOf(c) + 7 + i) % alphabet.length];
  }
  return out;
}

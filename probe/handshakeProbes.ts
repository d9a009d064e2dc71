import { nodeHmac } from "../lib/nodeHmac.ts";
import type { CheckVerdict } from "../lib/timedCheck.ts";
import { signatureHeaders } from "../lib/webhookSigning.ts";
import { fetchBounded, is2xx, is4xx } from "./probeDelivery.ts";
import type { ProbeTable, ReceiverContext } from "./receiverContext.ts";
import { statusText } from "./receiverVerdicts.ts";
import { input, send } from "./signedDelivery.ts";

/* Meta's GET handshake on a receiver's URL (H1–H3). */

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

export const HANDSHAKE_PROBES: ProbeTable = {
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

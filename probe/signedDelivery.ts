import type { ProbeEventIds } from "../lib/config/probeProfile.ts";
import { nodeHmac } from "../lib/nodeHmac.ts";
import { type SignatureInput, signatureHeaders } from "../lib/webhookSigning.ts";
import { type Answer, type Delivery, deliver } from "./probeDelivery.ts";
import type { ReceiverContext } from "./receiverContext.ts";

/** How a receiver's probe builds a delivery, signs it as the provider does, and sends it. */

/** Now, in whole seconds (signature timestamps). */
export const nowSec = () => Math.floor(Date.now() / 1000);

/** What the profile's eventBody is given: the ids, and on production the inert event type. */
export function idsFor(ctx: ReceiverContext, eventId: string): ProbeEventIds {
  return {
    eventId,
    runId: ctx.runId,
    ...(ctx.inertEventType ? { inertEventType: ctx.inertEventType } : {}),
  };
}

/** The profile's event body for `eventId`, as sent. */
export function bodyFor(ctx: ReceiverContext, eventId: string): string {
  return JSON.stringify(ctx.receiver.eventBody(idsFor(ctx, eventId)));
}

/** What a signature is computed over. */
export function input(
  ctx: ReceiverContext,
  body: string,
  eventId: string,
  timestampSec = nowSec(),
): SignatureInput {
  return { secret: ctx.receiver.signing.secret, id: eventId, timestampSec, body };
}

/** The scheme's own extras (GitHub names the delivery in a header). */
export function extras(ctx: ReceiverContext, eventId: string): Record<string, string> {
  return ctx.receiver.signing.scheme === "github" ? { "x-github-delivery": eventId } : {};
}

/** A delivery signed by the receiver's scheme, at `timestampSec`, over `body`. */
export function signed(
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

/** Sends one delivery to the receiver, bounded by the request timeout. */
export function send(ctx: ReceiverContext, delivery: Delivery): Promise<Answer> {
  return deliver(
    ctx.agent,
    ctx.url,
    ctx.receiver.signing.scheme,
    delivery,
    ctx.requestTimeoutMs,
    ctx.signal,
  );
}

/** A value shaped like `right` (same length and alphabet) that is not it. */
export function randomLike(right: string): string {
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

import { timingSafeEqual } from "node:crypto";
import { nodeHmac } from "./nodeHmac.ts";
import { signatureHeaders } from "./webhookSigning.ts";

/**
 * Pasukuru's webhook signature, as the reference stack signs and verifies it:
 * `X-Pasukuru-Signature: t=<unix>,v1=<hex>`, where hex is
 * HMAC-SHA256(secret, "<t>.<raw body>"). The same scheme as Stripe's: the
 * timestamp is signed, so a replayed old delivery is rejected by the
 * tolerance window, not only by idempotency. Signing itself is the
 * runtime-neutral lib/webhookSigning.ts, which the load engines share.
 */
export const SIGNATURE_HEADER = "x-pasukuru-signature";
export const DEFAULT_TOLERANCE_SEC = 300;

export function computeSignature(secret: string, timestampSec: number, rawBody: string): string {
  return nodeHmac(secret, `${timestampSec}.${rawBody}`, "hex");
}

export function signatureHeader(secret: string, rawBody: string, timestampSec: number): string {
  const headers = signatureHeaders(
    "pasukuru",
    { secret, id: "", timestampSec, body: rawBody },
    nodeHmac,
  );
  return headers[SIGNATURE_HEADER] as string;
}

export type SignatureVerdict =
  | { ok: true; timestampSec: number }
  | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

export function verifySignature(
  header: string | undefined,
  rawBody: string,
  secret: string,
  nowSec: number,
  toleranceSec = DEFAULT_TOLERANCE_SEC,
): SignatureVerdict {
  if (!header) return { ok: false, reason: "missing" };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return { ok: false, reason: "malformed" };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return { ok: false, reason: "malformed" };
  if (Math.abs(nowSec - timestamp) > toleranceSec) return { ok: false, reason: "stale" };
  const expected = Buffer.from(computeSignature(secret, timestamp, rawBody), "hex");
  const matches = candidates.some((c) => timingSafeEqual(Buffer.from(c, "hex"), expected));
  return matches ? { ok: true, timestampSec: timestamp } : { ok: false, reason: "mismatch" };
}

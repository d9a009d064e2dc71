import { describe, expect, it } from "vitest";
import { computeSignature, signatureHeader, verifySignature } from "./webhookSignature.ts";

// A fixed vector (computed independently with `openssl dgst -sha256 -hmac`), so any
// other implementation (a k6 script, the real Pasukuru) can be checked against it.
const VECTOR = {
  secret: "whsec_test_vector",
  timestamp: 1_700_000_000,
  body: '{"id":"evt_1","type":"order.paid"}',
  hex: "c56faf5bc2afb37c0ac89ed97a7730b9a9a2f64a29d0bb77c29b5623b52f08b0",
};

describe("webhook signature", () => {
  it("is HMAC-SHA256 of '<t>.<body>' in lowercase hex", () => {
    expect(computeSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.hex);
    expect(signatureHeader(VECTOR.secret, VECTOR.body, VECTOR.timestamp)).toBe(
      `t=${VECTOR.timestamp},v1=${VECTOR.hex}`,
    );
  });

  it("accepts its own header inside the tolerance and names why it rejects", () => {
    const header = signatureHeader(VECTOR.secret, VECTOR.body, VECTOR.timestamp);
    const at = (now: number) => verifySignature(header, VECTOR.body, VECTOR.secret, now);
    expect(at(VECTOR.timestamp + 300)).toEqual({ ok: true, timestampSec: VECTOR.timestamp });
    expect(at(VECTOR.timestamp - 300)).toEqual({ ok: true, timestampSec: VECTOR.timestamp });
    expect(at(VECTOR.timestamp + 301)).toEqual({ ok: false, reason: "stale" });
    expect(verifySignature(header, `${VECTOR.body} `, VECTOR.secret, VECTOR.timestamp)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(verifySignature(header, VECTOR.body, "other", VECTOR.timestamp)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(verifySignature(undefined, VECTOR.body, VECTOR.secret, VECTOR.timestamp)).toEqual({
      ok: false,
      reason: "missing",
    });
    expect(verifySignature("garbage", VECTOR.body, VECTOR.secret, VECTOR.timestamp)).toEqual({
      ok: false,
      reason: "malformed",
    });
    expect(
      verifySignature(`t=${VECTOR.timestamp},v1=zz`, VECTOR.body, VECTOR.secret, VECTOR.timestamp),
    ).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("accepts any matching v1 among several (key rotation)", () => {
    const good = computeSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body);
    const header = `t=${VECTOR.timestamp},v1=${"0".repeat(64)},v1=${good}`;
    expect(verifySignature(header, VECTOR.body, VECTOR.secret, VECTOR.timestamp).ok).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { nodeHmac } from "./nodeHmac.ts";
import { isSigningScheme } from "./webhookSchemes.ts";
import { base64ToBytes, signatureHeaders } from "./webhookSigning.ts";
import vectors from "./webhookSigningVectors.json" with { type: "json" };

describe("signatureHeaders, against the shared vectors (computed with openssl)", () => {
  it.each(vectors.vectors)("$scheme: $id", (vector) => {
    if (!isSigningScheme(vector.scheme)) throw new Error(`unknown scheme ${vector.scheme}`);
    const headers = signatureHeaders(
      vector.scheme,
      { secret: vector.secret, id: vector.id, timestampSec: vector.timestamp, body: vector.body },
      nodeHmac,
    );
    expect(headers).toEqual(vector.headers);
  });

  it("a changed body, timestamp or secret changes the signature", () => {
    const input = { secret: "k", id: "e", timestampSec: 1, body: "{}" };
    const base = signatureHeaders("pasukuru", input, nodeHmac);
    for (const changed of [
      { ...input, body: "{ }" },
      { ...input, timestampSec: 2 },
      { ...input, secret: "K" },
    ]) {
      expect(signatureHeaders("pasukuru", changed, nodeHmac)).not.toEqual(base);
    }
  });

  it("names a Standard Webhooks secret that is not base64", () => {
    expect(() =>
      signatureHeaders(
        "standardWebhooks",
        { secret: "whsec_not*base64", id: "e", timestampSec: 1, body: "" },
        nodeHmac,
      ),
    ).toThrow(/whsec_ followed by base64/);
  });
});

describe("base64ToBytes", () => {
  it("decodes what Node encodes", () => {
    for (const length of [0, 1, 2, 3, 4, 31, 32, 33]) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + 11) % 256));
      expect(Buffer.from(base64ToBytes(bytes.toString("base64")))).toEqual(bytes);
    }
  });
});

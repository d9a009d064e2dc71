/*
 * Signs the shared test vectors with k6/crypto through the runtime-neutral
 * signing module: k6 and Node must agree byte for byte. A mismatch throws in
 * the init stage, so `k6 run` exits non-zero. The nightly workflow runs it.
 */
import crypto from "k6/crypto";
import { isSigningScheme } from "../../../../lib/webhookSchemes.ts";
import { type HmacSha256, signatureHeaders } from "../../../../lib/webhookSigning.ts";
import vectors from "../../../../lib/webhookSigningVectors.json";

const k6Hmac: HmacSha256 = (key, message, encoding) =>
  crypto.hmac("sha256", key, message, encoding);

const mismatches: string[] = [];
for (const vector of vectors.vectors) {
  if (!isSigningScheme(vector.scheme)) {
    mismatches.push(`${vector.id}: unknown scheme ${vector.scheme}`);
    continue;
  }
  const headers = signatureHeaders(
    vector.scheme,
    { secret: vector.secret, id: vector.id, timestampSec: vector.timestamp, body: vector.body },
    k6Hmac,
  );
  for (const [name, expected] of Object.entries(vector.headers)) {
    if (headers[name] !== expected)
      mismatches.push(
        `${vector.scheme} ${vector.id}: ${name} is ${headers[name]}, expected ${expected}`,
      );
  }
}
if (mismatches.length > 0)
  throw new Error(`signing vectors do not match under k6:\n${mismatches.join("\n")}`);

export const options = { vus: 1, iterations: 1 };

export default function selfcheck(): void {
  console.log(`k6 signs all ${vectors.vectors.length} shared vectors as Node does`);
}

/**
 * Webhook signing schemes, runtime-neutral: no Node or k6 API here, so the
 * Node engine, the reference stack and the k6 scripts sign the same way. The
 * runtime supplies HMAC-SHA256 (node:crypto, or k6/crypto's `hmac`), and
 * both are checked against lib/webhookSigningVectors.json (values from openssl).
 */

const SIGNING_SCHEMES = ["pasukuru", "standardWebhooks"] as const;
export type SigningScheme = (typeof SIGNING_SCHEMES)[number];

/** HMAC-SHA256 of `message` (UTF-8) under `key` (UTF-8 text, or raw bytes), as hex or base64. */
export type HmacSha256 = (
  key: string | ArrayBuffer,
  message: string,
  encoding: "hex" | "base64",
) => string;

export interface SignatureInput {
  secret: string;
  /** The event's id (Standard Webhooks signs it; Pasukuru's scheme does not). */
  id: string;
  timestampSec: number;
  /** The exact bytes sent, as text. */
  body: string;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 to bytes; throws on anything else, so a mangled secret is not silently used. */
export function base64ToBytes(text: string): ArrayBuffer {
  const clean = text.replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]*$/.test(clean) || clean.length % 4 === 1) {
    throw new Error("not base64");
  }
  const bytes = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of clean) {
    value = (value << 6) | BASE64.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[index++] = (value >> bits) & 0xff;
    }
  }
  return bytes.buffer;
}

/** Standard Webhooks secrets are `whsec_` + the base64 key; the HMAC key is the decoded bytes. */
function standardWebhooksKey(secret: string): ArrayBuffer {
  const encoded = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  try {
    return base64ToBytes(encoded);
  } catch {
    throw new Error(
      "the Standard Webhooks secret must be whsec_ followed by base64 (as the receiver shows it)",
    );
  }
}

/**
 * Why `secret` cannot sign under `scheme` (undefined when it can): checked
 * when the config is read, so a malformed secret is exit 2 before any load
 * instead of a crash mid-run.
 */
export function signingSecretProblem(scheme: SigningScheme, secret: string): string | undefined {
  if (scheme !== "standardWebhooks") return undefined;
  try {
    if (standardWebhooksKey(secret).byteLength === 0) throw new Error("empty");
    return undefined;
  } catch {
    return "a Standard Webhooks secret is whsec_ followed by the base64 of its key, as the receiver shows it (e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)";
  }
}

/**
 * The headers that sign one delivery:
 * - pasukuru: `x-pasukuru-signature: t=<unix>,v1=<hex HMAC of "<t>.<body>">`
 * - standardWebhooks: `webhook-id`, `webhook-timestamp`,
 *   `webhook-signature: v1,<base64 HMAC of "<id>.<t>.<body>">`
 */
export function signatureHeaders(
  scheme: SigningScheme,
  input: SignatureInput,
  hmac: HmacSha256,
): Record<string, string> {
  const t = String(input.timestampSec);
  if (scheme === "pasukuru") {
    const hex = hmac(input.secret, `${t}.${input.body}`, "hex");
    return { "x-pasukuru-signature": `t=${t},v1=${hex}` };
  }
  const signature = hmac(
    standardWebhooksKey(input.secret),
    `${input.id}.${t}.${input.body}`,
    "base64",
  );
  return {
    "webhook-id": input.id,
    "webhook-timestamp": t,
    "webhook-signature": `v1,${signature}`,
  };
}

export function isSigningScheme(value: unknown): value is SigningScheme {
  return typeof value === "string" && (SIGNING_SCHEMES as readonly string[]).includes(value);
}

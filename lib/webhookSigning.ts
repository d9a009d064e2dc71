/**
 * Webhook signing schemes, runtime-neutral: no Node or k6 API here, so the
 * Node engine, the probes, the reference stack and the k6 scripts sign the
 * same way. The runtime supplies HMAC-SHA256 (node:crypto, or k6/crypto's
 * `hmac`), and both are checked against lib/webhookSigningVectors.json
 * (the providers' official vectors where they publish one, otherwise values
 * from openssl) and, in the tests, against each provider's own SDK.
 * Algorithms and sources: docs/webhook-signing.md.
 */

import { SCHEMES, type SigningScheme } from "./webhookSchemes.ts";

/** HMAC-SHA256 of `message` (UTF-8) under `key` (UTF-8 text, or raw bytes), as hex or base64. */
export type HmacSha256 = (
  key: string | ArrayBuffer,
  message: string,
  encoding: "hex" | "base64",
) => string;

export interface SignatureInput {
  secret: string;
  /** The event's id (the Standard Webhooks family signs it; the others carry it in the body). */
  id: string;
  /** Ignored by the schemes that sign no timestamp (meta, github, line). */
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

const WHSEC = "whsec_";

/** The HMAC key of `secret` under `scheme`; throws, naming the form, when a `whsec_` secret is not base64. */
function keyOf(scheme: SigningScheme, secret: string): string | ArrayBuffer {
  const { key } = SCHEMES[scheme];
  if (key === "utf8" || (key === "whsecOrUtf8" && !secret.startsWith(WHSEC))) return secret;
  const encoded = secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret;
  try {
    return base64ToBytes(encoded);
  } catch {
    throw new Error(
      `the ${SCHEMES[scheme].name} secret must be whsec_ followed by base64 (as the receiver shows it)`,
    );
  }
}

/**
 * Why `secret` cannot sign under `scheme` (undefined when it can): checked
 * when the config is read, so a malformed secret is exit 2 before any load
 * instead of a crash mid-run.
 */
export function signingSecretProblem(scheme: SigningScheme, secret: string): string | undefined {
  if (secret === "") return "the secret is empty";
  try {
    const key = keyOf(scheme, secret);
    if (typeof key !== "string" && key.byteLength === 0) throw new Error("empty");
    return undefined;
  } catch {
    return `a ${SCHEMES[scheme].name} secret is whsec_ followed by the base64 of its key, as the receiver shows it (e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)`;
  }
}

/** The bytes the scheme signs, as text. */
function signedContent(scheme: SigningScheme, input: SignatureInput): string {
  const t = String(input.timestampSec);
  switch (scheme) {
    case "standardWebhooks":
    case "svix":
    case "whop":
      return `${input.id}.${t}.${input.body}`;
    case "pasukuru":
    case "stripe":
    case "whopLegacy":
      return `${t}.${input.body}`;
    case "meta":
    case "github":
    case "line":
      return input.body;
  }
}

/** The MAC alone, in the scheme's encoding (what follows the tag). */
export function signatureOf(
  scheme: SigningScheme,
  input: SignatureInput,
  hmac: HmacSha256,
): string {
  return hmac(keyOf(scheme, input.secret), signedContent(scheme, input), SCHEMES[scheme].encoding);
}

/**
 * The headers of one delivery carrying `signatures` (MACs as `signatureOf`
 * gives them, or anything a probe wants to send instead), tagged with `tag`
 * (default the scheme's own). A scheme without rotation carries the first.
 * - pasukuru / stripe / whopLegacy: `t=<unix>,v1=<hex>[,v1=<hex>]`
 * - standardWebhooks / whop: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<b64>[ v1,<b64>]`
 * - svix: the same with `svix-` headers
 * - meta / github: `x-hub-signature-256: sha256=<hex>`
 * - line: `x-line-signature: <base64>`
 */
export function headersCarrying(
  scheme: SigningScheme,
  input: Pick<SignatureInput, "id" | "timestampSec">,
  signatures: readonly string[],
  tag: string | null = SCHEMES[scheme].tag,
): Record<string, string> {
  const facts = SCHEMES[scheme];
  const t = String(input.timestampSec);
  const carried = facts.rotation ? signatures : signatures.slice(0, 1);
  switch (scheme) {
    case "pasukuru":
    case "stripe":
    case "whopLegacy":
      return { [facts.header]: [`t=${t}`, ...carried.map((s) => `${tag}=${s}`)].join(",") };
    case "standardWebhooks":
    case "whop":
    case "svix": {
      const prefix = scheme === "svix" ? "svix" : "webhook";
      return {
        [`${prefix}-id`]: input.id,
        [`${prefix}-timestamp`]: t,
        [`${prefix}-signature`]: carried.map((s) => `${tag},${s}`).join(" "),
      };
    }
    case "meta":
    case "github":
      return { [facts.header]: `${tag}=${carried[0] ?? ""}` };
    case "line":
      return { [facts.header]: `${tag ? `${tag}=` : ""}${carried[0] ?? ""}` };
  }
}

/** The headers that sign one delivery under `scheme`. */
export function signatureHeaders(
  scheme: SigningScheme,
  input: SignatureInput,
  hmac: HmacSha256,
): Record<string, string> {
  return headersCarrying(scheme, input, [signatureOf(scheme, input, hmac)]);
}

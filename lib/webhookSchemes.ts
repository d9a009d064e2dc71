/**
 * The webhook signing schemes and what a receiver of each must do, as its
 * provider specifies it (header, key encoding, tolerance, rotation, where
 * the event id lives, sources). Runtime-neutral data: the signers are
 * lib/webhookSigning.ts; the probes and the load suite read the facts.
 */

export const SIGNING_SCHEMES = [
  "pasukuru",
  "standardWebhooks",
  "svix",
  "stripe",
  "meta",
  "github",
  "line",
  "whop",
  "whopLegacy",
] as const;
export type SigningScheme = (typeof SIGNING_SCHEMES)[number];

/** What a receiver of each scheme must do, as its provider specifies it. */
export interface SchemeFacts {
  /** As the provider writes it, for messages. */
  name: string;
  /** The header carrying the signature. */
  header: string;
  /**
   * How the secret becomes the HMAC key: `utf8` its UTF-8 bytes; `whsec`
   * `whsec_` + base64, decoded; `whsecOrUtf8` either (a `whsec_` secret is
   * decoded, any other is used as its UTF-8 bytes).
   */
  key: "utf8" | "whsec" | "whsecOrUtf8";
  /** The MAC's encoding in the header. */
  encoding: "hex" | "base64";
  /** The version tag before a signature (`v1=`, `v1,`, `sha256=`); null for a bare signature. */
  tag: string | null;
  /** How old a timestamp may be, in seconds; null: the scheme signs no timestamp. */
  toleranceSec: number | null;
  /** A timestamp ahead of the clock beyond the tolerance: accepted (Stripe) or rejected; null without timestamps. */
  future: "accepted" | "rejected" | null;
  /** Several signatures in one header, any of which may match (secret rotation). */
  rotation: boolean;
  /** Where the event id a receiver deduplicates on lives. */
  eventId: string;
  /** Where the facts come from. */
  source: string;
}

const STANDARD = {
  key: "whsec",
  encoding: "base64",
  tag: "v1",
  toleranceSec: 300,
  future: "rejected",
  rotation: true,
} as const;

export const SCHEMES: Readonly<Record<SigningScheme, SchemeFacts>> = {
  pasukuru: {
    name: "Pasukuru",
    header: "x-pasukuru-signature",
    key: "utf8",
    encoding: "hex",
    tag: "v1",
    toleranceSec: 300,
    future: "rejected",
    rotation: true,
    eventId: "body id",
    source: "the integration plan (Stripe's layout, ±300 s)",
  },
  standardWebhooks: {
    name: "Standard Webhooks",
    header: "webhook-signature",
    ...STANDARD,
    eventId: "webhook-id header",
    source: "standard-webhooks spec/standard-webhooks.md",
  },
  svix: {
    name: "Svix",
    header: "svix-signature",
    ...STANDARD,
    eventId: "svix-id header",
    source: "docs.svix.com, Verifying payloads",
  },
  whop: {
    name: "Whop",
    header: "webhook-signature",
    ...STANDARD,
    key: "whsecOrUtf8",
    eventId: "webhook-id header",
    source: "whopio/whopsdk-typescript src/resources/webhooks.ts (standardwebhooks)",
  },
  stripe: {
    name: "Stripe",
    header: "stripe-signature",
    key: "utf8",
    encoding: "hex",
    tag: "v1",
    toleranceSec: 300,
    future: "accepted",
    rotation: true,
    eventId: "body id",
    source: "stripe/stripe-node src/Webhooks.ts",
  },
  whopLegacy: {
    name: "Whop (legacy)",
    header: "x-whop-signature",
    key: "utf8",
    encoding: "hex",
    tag: "v1",
    toleranceSec: 300,
    future: "rejected",
    rotation: false,
    eventId: "body data.id",
    source: "whopio/whop-sdk-ts packages/api/src/webhooks.ts",
  },
  meta: {
    name: "Meta",
    header: "x-hub-signature-256",
    key: "utf8",
    encoding: "hex",
    tag: "sha256",
    toleranceSec: null,
    future: null,
    rotation: false,
    eventId: "body entry[].changes[].value message or status id",
    source: "Graph API webhooks, getting started",
  },
  github: {
    name: "GitHub",
    header: "x-hub-signature-256",
    key: "utf8",
    encoding: "hex",
    tag: "sha256",
    toleranceSec: null,
    future: null,
    rotation: false,
    eventId: "x-github-delivery header",
    source: "docs.github.com, Validating webhook deliveries",
  },
  line: {
    name: "LINE",
    header: "x-line-signature",
    key: "utf8",
    encoding: "base64",
    tag: null,
    toleranceSec: null,
    future: null,
    rotation: false,
    eventId: "body events[].webhookEventId",
    source:
      "developers.line.biz, Verify webhook signature; line-bot-sdk-nodejs lib/validate-signature.ts",
  },
};

export function isSigningScheme(value: unknown): value is SigningScheme {
  return typeof value === "string" && (SIGNING_SCHEMES as readonly string[]).includes(value);
}

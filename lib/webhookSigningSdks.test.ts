import { validateSignature } from "@line/bot-sdk";
import { Webhook as StandardWebhook } from "standardwebhooks";
import Stripe from "stripe";
import { Webhook as SvixWebhook } from "svix";
import { describe, expect, it } from "vitest";
import { nodeHmac } from "./nodeHmac.ts";
import { SCHEMES, type SigningScheme } from "./webhookSchemes.ts";
import { headersCarrying, signatureHeaders, signatureOf } from "./webhookSigning.ts";

/*
 * Our signatures, verified by each provider's own SDK from npm: the
 * vectors prove the arithmetic, this proves the headers are what the
 * provider's receivers accept, and that SCHEMES' tolerance and
 * future-timestamp facts are the SDKs' own.
 */

const BODY = '{"id":"evt_sdk_1","type":"order.paid","data":{"note":"café @ \\/ ü"}}';
const now = () => Math.floor(Date.now() / 1000);
const input = (secret: string, timestampSec = now()) => ({
  secret,
  id: "msg_sdk_1",
  timestampSec,
  body: BODY,
});

const stripe = new Stripe("sk_test_not_used_offline");
const STRIPE_SECRET = "whsec_stripe_sdk_secret";
const SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/** Whether the provider's SDK accepts `headers` for BODY under `scheme`. */
function sdkAccepts(
  scheme: SigningScheme,
  secret: string,
  headers: Record<string, string>,
): boolean {
  try {
    switch (scheme) {
      case "stripe":
        stripe.webhooks.constructEvent(BODY, headers["stripe-signature"] ?? "", secret);
        return true;
      case "standardWebhooks":
        new StandardWebhook(secret).verify(BODY, headers);
        return true;
      case "whop":
        // Whop's SDK hands the secret to standardwebhooks; a raw secret as btoa(secret).
        new StandardWebhook(secret.startsWith("whsec_") ? secret : btoa(secret)).verify(
          BODY,
          headers,
        );
        return true;
      case "svix":
        new SvixWebhook(secret).verify(BODY, headers);
        return true;
      case "line":
        return validateSignature(BODY, secret, headers["x-line-signature"] ?? "");
      default:
        throw new Error(`no SDK for ${scheme}`);
    }
  } catch (error) {
    if (error instanceof Error && /no SDK/.test(error.message)) throw error;
    return false;
  }
}

/** Another valid secret of the same form: a whsec_ key stays a whsec_ key. */
const otherSecret = (secret: string) =>
  secret.startsWith("whsec_") ? "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" : `${secret}-old`;

const CASES: [SigningScheme, string][] = [
  ["stripe", STRIPE_SECRET],
  ["standardWebhooks", SW_SECRET],
  ["svix", SW_SECRET],
  ["whop", SW_SECRET],
  ["whop", "whop_raw_secret_from_the_dashboard"],
  ["line", "line-channel-secret"],
];

describe("each provider's SDK accepts our signatures", () => {
  it.each(CASES)("%s (secret %s)", (scheme, secret) => {
    expect(sdkAccepts(scheme, secret, signatureHeaders(scheme, input(secret), nodeHmac))).toBe(
      true,
    );
  });

  it.each(CASES)("%s rejects ours over another body or under another secret", (scheme, secret) => {
    const other = signatureHeaders(scheme, { ...input(secret), body: `${BODY} ` }, nodeHmac);
    expect(sdkAccepts(scheme, secret, other)).toBe(false);
    expect(
      sdkAccepts(scheme, secret, signatureHeaders(scheme, input(otherSecret(secret)), nodeHmac)),
    ).toBe(false);
  });
});

describe("SCHEMES' facts are the SDKs' behaviour", () => {
  const timestamped = CASES.filter(([scheme]) => SCHEMES[scheme].toleranceSec !== null);

  it.each(timestamped)(
    "%s: just inside the tolerance passes, just outside fails",
    (scheme, secret) => {
      const tolerance = SCHEMES[scheme].toleranceSec as number;
      const at = (t: number) => signatureHeaders(scheme, input(secret, t), nodeHmac);
      expect(sdkAccepts(scheme, secret, at(now() - tolerance + 5))).toBe(true);
      expect(sdkAccepts(scheme, secret, at(now() - tolerance - 5))).toBe(false);
    },
  );

  it.each(timestamped)(
    "%s: a future timestamp beyond the tolerance is as the facts say",
    (scheme, secret) => {
      const tolerance = SCHEMES[scheme].toleranceSec as number;
      const future = signatureHeaders(scheme, input(secret, now() + tolerance + 60), nodeHmac);
      expect(sdkAccepts(scheme, secret, future)).toBe(SCHEMES[scheme].future === "accepted");
    },
  );

  it.each(CASES.filter(([scheme]) => SCHEMES[scheme].rotation))(
    "%s: one invalid and one valid signature (key rotation) passes",
    (scheme, secret) => {
      const good = signatureOf(scheme, input(secret), nodeHmac);
      const bad = signatureOf(scheme, input(otherSecret(secret)), nodeHmac);
      expect(sdkAccepts(scheme, secret, headersCarrying(scheme, input(secret), [bad, good]))).toBe(
        true,
      );
      expect(sdkAccepts(scheme, secret, headersCarrying(scheme, input(secret), [bad]))).toBe(false);
    },
  );

  it.each(CASES.filter(([scheme]) => SCHEMES[scheme].tag !== null))(
    "%s: the right MAC under another version tag fails",
    (scheme, secret) => {
      const good = signatureOf(scheme, input(secret), nodeHmac);
      const tag = SCHEMES[scheme].tag === "v1" ? "v0" : "sha1";
      expect(sdkAccepts(scheme, secret, headersCarrying(scheme, input(secret), [good], tag))).toBe(
        false,
      );
    },
  );
});

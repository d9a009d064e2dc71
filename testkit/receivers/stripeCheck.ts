import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { type Delivery, type ProviderCheck, parsed } from "./delivery.ts";

const stripe = new Stripe("sk_test_offline_not_used");

/** Stripe: `Stripe-Signature` checked by stripe's own constructEvent, 300 s tolerance. */
export const STRIPE_CHECK: ProviderCheck = {
  path: "/api/stripe/webhook",
  newSecret: () => `whsec_${randomBytes(16).toString("hex")}`,
  verify(d: Delivery) {
    const signature = d.header("stripe-signature");
    if (signature || !d.has("verifyIfPresent")) {
      try {
        stripe.webhooks.constructEvent(
          d.signed,
          signature ?? "",
          d.secret,
          d.has("noTolerance") ? 10 * 365 * 86_400 : 300,
        );
      } catch {
        return { status: 400 };
      }
    }
    const id = (JSON.parse(d.raw) as { id?: unknown }).id;
    return typeof id === "string" ? { eventId: id } : { status: 400 };
  },
  eventIdOf(d: Delivery) {
    const id = parsed<{ id?: unknown }>(d.raw)?.id;
    return typeof id === "string" ? id : undefined;
  },
};

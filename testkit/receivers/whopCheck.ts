import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { Delivery, ProviderCheck } from "./delivery.ts";

/** Whop: Standard Webhooks (`webhook-id`, `-timestamp`, `-signature`), checked by standardwebhooks' verify. */
export const WHOP_CHECK: ProviderCheck = {
  path: "/api/whop/webhook",
  newSecret: () => randomBytes(16).toString("hex"),
  verify(d: Delivery) {
    const headers = {
      "webhook-id": d.header("webhook-id") ?? "",
      "webhook-timestamp": d.header("webhook-timestamp") ?? "",
      "webhook-signature": d.header("webhook-signature") ?? "",
    };
    if (headers["webhook-signature"] || !d.has("verifyIfPresent")) {
      try {
        new Webhook(btoa(d.secret)).verify(d.signed, headers);
      } catch {
        return { status: 401 };
      }
    }
    return headers["webhook-id"] ? { eventId: headers["webhook-id"] } : { status: 400 };
  },
  eventIdOf: (d: Delivery) => d.header("webhook-id"),
};

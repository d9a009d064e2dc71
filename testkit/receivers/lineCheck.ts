import { randomBytes } from "node:crypto";
import { validateSignature } from "@line/bot-sdk";
import { type Delivery, type ProviderCheck, parsed } from "./delivery.ts";

type LineBody = { events?: { webhookEventId?: unknown }[] };

/** LINE: `x-line-signature` checked by @line/bot-sdk's validateSignature; the console's Verify (no events) is a 200. */
export const LINE_CHECK: ProviderCheck = {
  path: "/webhooks/line",
  newSecret: () => randomBytes(16).toString("hex"),
  verify(d: Delivery) {
    const signature = d.header("x-line-signature");
    if (
      (signature || !d.has("verifyIfPresent")) &&
      !validateSignature(d.signed, d.secret, signature ?? "")
    )
      return { status: 401 };
    const events = (JSON.parse(d.raw) as LineBody).events;
    if (!Array.isArray(events)) return { status: 400 };
    const id = events[0]?.webhookEventId;
    return { eventId: typeof id === "string" ? id : "" };
  },
  eventIdOf(d: Delivery) {
    const id = parsed<LineBody>(d.raw)?.events?.[0]?.webhookEventId;
    return typeof id === "string" ? id : undefined;
  },
};

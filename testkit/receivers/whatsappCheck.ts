import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { type Delivery, type ProviderCheck, parsed } from "./delivery.ts";

type WhatsAppBody = { entry?: { changes?: { value?: { messages?: { id?: unknown }[] } }[] }[] };

const messageId = (body: WhatsAppBody | undefined) =>
  body?.entry?.[0]?.changes?.[0]?.value?.messages?.[0]?.id;

/**
 * WhatsApp (Meta): `x-hub-signature-256`. Meta publishes no verifying SDK,
 * so node:crypto with timingSafeEqual, as Meta documents.
 */
export const WHATSAPP_CHECK: ProviderCheck = {
  path: "/webhooks/whatsapp",
  newSecret: () => randomBytes(16).toString("hex"),
  verify(d: Delivery) {
    const signature = d.header("x-hub-signature-256");
    if (signature || !d.has("verifyIfPresent")) {
      const expected = Buffer.from(
        `sha256=${createHmac("sha256", d.secret).update(d.signed, "utf8").digest("hex")}`,
      );
      const given = Buffer.from(signature ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { status: 401 };
    }
    const id = messageId(JSON.parse(d.raw) as WhatsAppBody);
    return typeof id === "string" ? { eventId: id } : { status: 400 };
  },
  eventIdOf(d: Delivery) {
    const id = messageId(parsed<WhatsAppBody>(d.raw));
    return typeof id === "string" ? id : undefined;
  },
};

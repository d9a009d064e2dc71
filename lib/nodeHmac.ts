import { createHmac } from "node:crypto";
import type { HmacSha256 } from "./webhookSigning.ts";

/** HMAC-SHA256 for the Node engine and the reference stack: the runtime half of lib/webhookSigning.ts. */
export const nodeHmac: HmacSha256 = (key, message, encoding) =>
  createHmac("sha256", typeof key === "string" ? key : Buffer.from(key))
    .update(message, "utf8")
    .digest(encoding);

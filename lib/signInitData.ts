import { createHmac } from "node:crypto";
import { rememberMintedInitData } from "./mintedCredentials.ts";

/**
 * Telegram Mini App initData signed as Telegram signs it: the data-check
 * string (every field but hash, sorted, `key=value` joined by newlines)
 * under HMAC-SHA256 keyed by HMAC-SHA256("WebAppData", bot token).
 * https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app
 */
export function signInitData(botToken: string, fields: Record<string, string>): string {
  const secret = createHmac("sha256", "WebAppData").update(botToken).digest();
  const check = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join("\n");
  const hash = createHmac("sha256", secret).update(check).digest("hex");
  // Evidence shows initData the probe signed by its fields (lib/mintedCredentials.ts).
  return rememberMintedInitData(new URLSearchParams({ ...fields, hash }).toString());
}

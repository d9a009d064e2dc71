import { createHmac } from "node:crypto";

/**
 * A JWT with any header and payload, HS256-signed with `secret`, or unsigned
 * (`alg: none`, an empty signature) when `secret` is undefined: the probes'
 * token matrix and the reference profile's board identities.
 */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string | undefined,
): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${b64(header)}.${b64(payload)}`;
  if (secret === undefined) return `${unsigned}.`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

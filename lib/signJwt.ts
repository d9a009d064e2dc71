import { createHmac } from "node:crypto";
import { rememberMintedJwt } from "./mintedCredentials.ts";

/**
 * A JWT with any header and payload, HS256-signed with `secret`, or unsigned
 * (`alg: none`, an empty signature) when `secret` is undefined: the probes'
 * token matrix and the reference profile's board identities. Evidence
 * shows it decoded, without its signature.
 */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string | undefined,
): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${b64(header)}.${b64(payload)}`;
  const signature =
    secret === undefined ? "" : createHmac("sha256", secret).update(unsigned).digest("base64url");
  // Evidence shows a token the harness signed by what it says (lib/mintedCredentials.ts).
  return rememberMintedJwt(`${unsigned}.${signature}`, header, payload);
}

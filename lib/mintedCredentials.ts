/*
 * Credentials the harness mints itself (the probes' JWTs, Telegram
 * initData): evidence shows what such a token says, its decoded header and
 * claims, never what makes it a credential (the signature, the hash). Any
 * other credential is shown by its shape alone (lib/redact.ts). Bounded:
 * the newest MINTED_MAX tokens are remembered; an older one is shown by its
 * shape, which is the safe direction.
 */

const MINTED_MAX = 512;
const minted = new Map<string, string>();

function remember(token: string, shown: string): string {
  minted.delete(token);
  minted.set(token, shown);
  if (minted.size > MINTED_MAX) minted.delete(minted.keys().next().value as string);
  return token;
}

/** How evidence shows a token the harness minted; undefined for any other value. */
export function mintedShown(token: string): string | undefined {
  return minted.get(token);
}

/** A JWT the harness signed: remembered with its header and claims, without its signature. */
export function rememberMintedJwt(
  token: string,
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
): string {
  return remember(
    token,
    `[minted JWT: header ${JSON.stringify(header)}, claims ${JSON.stringify(claims)}; signature not shown]`,
  );
}

/** Telegram initData the harness signed: remembered with its fields, without hash and signature. */
export function rememberMintedInitData(initData: string): string {
  const fields = [...new URLSearchParams(initData)]
    .filter(([key]) => key !== "hash" && key !== "signature")
    .map(([key, value]) => `${key}=${value}`);
  return remember(initData, `[minted initData: ${fields.join("&")}; hash and signature not shown]`);
}

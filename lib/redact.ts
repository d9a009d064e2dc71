import { createHash } from "node:crypto";
import { mintedShown } from "./mintedCredentials.ts";

/**
 * Secrets never reach logs or reports. Two tools: one for URLs (passwords,
 * tokens in the query) and one for free text that may contain known secrets.
 */
const SECRET_QUERY_KEYS = /^(password|passwd|pass|token|secret|key|apikey|api_key|access_token)$/i;

/**
 * A URL with its credentials hidden: the password and the username too (a
 * token often sits there, e.g. `https://<token>@host` or
 * `redis://<token>@host`), and secret-looking query values.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL we can parse: hide anything that looks like user:password@ or token@.
    return raw.replace(
      /\/\/([^/@\s:]*)(:[^/@\s]*)?@/g,
      (_m, user: string, password?: string) => `//${user ? "***" : ""}${password ? ":***" : ""}@`,
    );
  }
  if (url.username) url.username = "***";
  if (url.password) url.password = "***";
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_QUERY_KEYS.test(key)) url.searchParams.set(key, "***");
  }
  return url.toString();
}

/** Where our own cuts end ("first 160 characters…"): a secret cut there leaves its prefix before it. */
const CUT = "…";

/**
 * Replaces every occurrence of each known secret (of 4+ characters) with
 * `***`, and any prefix of one (4+ characters) that a cut left just before
 * `…`: no character of a secret survives a shortened body or header.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  const known = [...secrets].filter((s): s is string => !!s && s.length >= 4);
  let out = text;
  for (const secret of known) out = out.split(secret).join("***");
  if (!out.includes(CUT)) return out;
  return out.replace(/[^\s"'=:;,]{4,}(?=…)/g, (run) => {
    for (const secret of known) {
      // The longest tail of the run that is a prefix of the secret.
      for (let start = 0; start <= run.length - 4; start++) {
        if (secret.startsWith(run.slice(start))) return `${run.slice(0, start)}***`;
      }
    }
    return run;
  });
}

/** Request headers that carry credentials: shown by their shape, never by a character of their value. */
const CREDENTIAL_HEADER =
  /^(authorization|proxy-authorization|cookie|x-[a-z0-9-]*(token|key|secret|auth|signature|init-data|password))$/i;

/** Schemes of an Authorization header: standard words, not secrets. */
const AUTH_SCHEME = /^(Bearer|Basic|Digest|Token|tma|Negotiate|HMAC-SHA256)\s+/i;

/** Under this length a hash's prefix could confirm a guess: shown by its length alone. */
const HASHED_FROM_CHARS = 16;

/**
 * "[redacted: 32 chars, sha256 3f1c…]": its length, and for a value long
 * enough not to be guessed, four hex digits of its SHA-256 so two runs can
 * tell whether they sent the same credential. No character of the value.
 */
function redactedValue(value: string): string {
  const hash =
    value.length >= HASHED_FROM_CHARS
      ? `, sha256 ${createHash("sha256").update(value).digest("hex").slice(0, 4)}…`
      : "";
  return `[redacted: ${value.length} chars${hash}]`;
}

/**
 * A header as evidence may show it: credentials by their shape only (the
 * scheme, the cookie names, the length and a hash's prefix), a token the
 * harness minted by its decoded header and claims (never its signature),
 * everything else as it is.
 */
export function shownCredential(name: string, value: string): string {
  if (!CREDENTIAL_HEADER.test(name)) return value;
  if (/^cookie$/i.test(name)) {
    return value
      .split(/;\s*/)
      .filter(Boolean)
      .map((pair) => {
        const cookie = pair.split("=", 1)[0] ?? "";
        return `${cookie}=${redactedValue(pair.slice(cookie.length + 1))}`;
      })
      .join("; ");
  }
  const scheme = AUTH_SCHEME.exec(value)?.[0] ?? "";
  const rest = value.slice(scheme.length);
  return `${scheme.trim() ? `${scheme.trim()} ` : ""}${mintedShown(rest) ?? redactedValue(rest)}`;
}
